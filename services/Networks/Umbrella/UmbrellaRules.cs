using System.Text.RegularExpressions;
using EmsAchse.Networks.Sites;
using EmsAchse.Platform.Reference;

namespace EmsAchse.Networks.Umbrella;

/// <summary>What the umbrella's record must satisfy: a name and legal form, a plausible founding year and office, the alliance's districts.</summary>
public static partial class UmbrellaRules
{
    public static Dictionary<string, string[]> Validate(UpdateUmbrellaRequest request, int currentYear)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 200)
        {
            errors["name"] = ["name is required (at most 200 characters)."];
        }
        if (string.IsNullOrWhiteSpace(request.ShortName) || request.ShortName.Trim().Length > 60)
        {
            errors["shortName"] = ["shortName is required (at most 60 characters)."];
        }
        if (string.IsNullOrWhiteSpace(request.LegalForm) || request.LegalForm.Trim().Length > 40)
        {
            errors["legalForm"] = ["legalForm is required (at most 40 characters), e.g. 'e.V.'."];
        }
        if (request.Founded is not { } founded || founded < 1900 || founded > currentYear)
        {
            errors["founded"] = [$"founded must be a year between 1900 and {currentYear}."];
        }
        if (request.Mission is null || request.Mission.Trim().Length is 0 or > 4000)
        {
            errors["mission"] = ["mission is required (at most 4000 characters)."];
        }
        if (request.Office is null || string.IsNullOrWhiteSpace(request.Office.Street) || request.Office.Street.Trim().Length > 120)
        {
            errors["office.street"] = ["office.street is required (at most 120 characters)."];
        }
        if (request.Office?.PostalCode is not { } postalCode || !PostalCode().IsMatch(postalCode.Trim()))
        {
            errors["office.postalCode"] = ["office.postalCode must be a German postal code of five digits."];
        }
        if (request.Office is null || !TownName.IsPlausible(request.Office.Town))
        {
            errors["office.town"] = ["office.town must be a place name of 2-80 characters."];
        }
        if (request.Districts is not { Count: > 0 } districts || districts.Any(d => Districts.Find(d) is null))
        {
            errors["districts"] = [$"districts must list at least one of: {string.Join(", ", Districts.All.Select(d => d.Code))}."];
        }
        if (request.MemberOrganizations is < 0)
        {
            errors["memberOrganizations"] = ["memberOrganizations cannot be negative."];
        }
        if (request.Employees is < 0)
        {
            errors["employees"] = ["employees cannot be negative."];
        }
        if (request.FiguresYear is { } year && (year < 1900 || year > currentYear))
        {
            errors["figuresYear"] = [$"figuresYear must be a year between 1900 and {currentYear}."];
        }
        if (request.WorkAreas is { } areas && areas.Any(a => string.IsNullOrWhiteSpace(a) || a.Trim().Length > 120))
        {
            errors["workAreas"] = ["workAreas must be non-empty texts of at most 120 characters."];
        }
        if (request.Website is { Length: > 0 } website
            && (!Uri.TryCreate(website.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
        {
            errors["website"] = ["website must be an absolute http(s) address."];
        }
        return errors;
    }

    [GeneratedRegex("^[0-9]{5}$", RegexOptions.CultureInvariant)]
    private static partial Regex PostalCode();
}
