using System.Net.Mail;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Reference;

namespace EmsAchse.Members.Organizations;

/// <summary>An organisation as the API takes it (POST, PUT, and inside an application).</summary>
public sealed record OrganizationRequest(
    string? Name,
    string? Kind,
    string? District,
    string? Town,
    string? Address = null,
    string? Website = null,
    IReadOnlyList<string>? Industries = null,
    string? Employees = null);

/// <summary>A contact person as the API takes it.</summary>
public sealed record ContactRequest(string? Name, string? Email, string? Phone, string? Role, bool? ConsentToPublish);

/// <summary>A valid organisation: codes resolved, text trimmed, keys for duplicate detection and search computed.</summary>
public sealed record OrganizationFacts(
    string Name,
    string Kind,
    string District,
    string Region,
    string Town,
    string? Address,
    string? Website,
    IReadOnlyList<string> Industries,
    string? Employees)
{
    /// <summary>Two organisations with the same name key in the same town key are the same organisation.</summary>
    public string NameKey => SearchText.Canonical(Name);

    public string TownKey => SearchText.Canonical(Town);

    /// <summary>The directory's order: by folded name (then id), the same on both engines.</summary>
    public string SortKey => NameKey;

    public string SearchDocument =>
        SearchText.Document([Name, Town, .. Industries.Select(i => i.Replace('-', ' ')), .. Industries.Select(OrganizationVocabulary.IndustryName)]);
}

/// <summary>A valid contact person.</summary>
public sealed record ContactFacts(string Name, string? Email, string? Phone, string? Role, bool ConsentToPublish);

/// <summary>Validation of organisations and contacts: field errors keyed by the JSON field name (with a prefix inside an application).</summary>
public static class OrganizationRules
{
    public const int MaxNameLength = 200;
    public const int MaxTextLength = 300;
    public const int MaxIndustries = 10;

    public static OrganizationFacts? Validate(OrganizationRequest request, Dictionary<string, string[]> errors, string prefix = "")
    {
        var before = errors.Count;
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || SearchText.Canonical(name).Length == 0)
        {
            errors.Fail(prefix + "name", LengthCode(name, MaxNameLength), $"name is required (at most {MaxNameLength} characters, with at least one letter or digit).");
        }
        var kind = OrganizationVocabulary.FindKind(request.Kind);
        if (kind is null)
        {
            errors[prefix + "kind"] = [$"kind must be one of: {OrganizationVocabulary.Codes(OrganizationVocabulary.Kinds)}."];
        }
        var district = Districts.Find(request.District);
        if (district is null)
        {
            errors[prefix + "district"] = [$"district must be one of: {string.Join(", ", Districts.All.Select(d => d.Code))}."];
        }
        var town = request.Town?.Trim();
        if (string.IsNullOrEmpty(town) || town.Length > MaxNameLength || SearchText.Canonical(town).Length == 0)
        {
            errors.Fail(prefix + "town", LengthCode(town, MaxNameLength), $"town is required (at most {MaxNameLength} characters).");
        }
        var address = Blank(request.Address);
        if (address is { Length: > MaxTextLength })
        {
            errors[prefix + "address"] = [$"address may have at most {MaxTextLength} characters."];
        }
        var website = Blank(request.Website);
        if (website is not null && !IsWebUrl(website))
        {
            errors[prefix + "website"] = ["website must be an absolute http or https URL, e.g. https://www.example.de."];
        }
        var industries = new List<string>();
        foreach (var code in request.Industries ?? [])
        {
            if (OrganizationVocabulary.FindIndustry(code) is { } industry)
            {
                if (!industries.Contains(industry))
                {
                    industries.Add(industry);
                }
            }
            else
            {
                errors[prefix + "industries"] = [$"'{code}' is not an industry; industries must be from: {OrganizationVocabulary.Codes(OrganizationVocabulary.Industries)}."];
                break;
            }
        }
        if (industries.Count > MaxIndustries)
        {
            errors.Fail(prefix + "industries", FieldErrorCodes.TooMany, $"at most {MaxIndustries} industries.");
        }
        string? employees = null;
        if (Blank(request.Employees) is { } band)
        {
            employees = OrganizationVocabulary.FindEmployeeBand(band);
            if (employees is null)
            {
                errors[prefix + "employees"] = [$"employees must be one of: {OrganizationVocabulary.Codes(OrganizationVocabulary.EmployeeBands)}."];
            }
        }
        if (errors.Count > before)
        {
            return null;
        }
        industries.Sort(StringComparer.Ordinal);
        return new OrganizationFacts(name!, kind!, district!.Code, district.Region.Code, town!, address, website, industries, employees);
    }

    public static ContactFacts? Validate(ContactRequest request, Dictionary<string, string[]> errors, string prefix = "")
    {
        var before = errors.Count;
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            errors.Fail(prefix + "name", LengthCode(name, MaxNameLength), $"name is required (at most {MaxNameLength} characters).");
        }
        var email = Blank(request.Email);
        if (email is not null && !IsEmail(email))
        {
            errors[prefix + "email"] = ["email must be an e-mail address such as name@example.de."];
        }
        var phone = Blank(request.Phone);
        if (phone is not null && (phone.Length > 40 || !phone.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '/' or '(' or ')')))
        {
            errors.Fail(prefix + "phone", phone.Length > 40 ? FieldErrorCodes.TooLong : FieldErrorCodes.InvalidPhone, "phone may hold digits, spaces and + - / ( ) only (at most 40 characters).");
        }
        var role = Blank(request.Role);
        if (role is { Length: > MaxNameLength })
        {
            errors[prefix + "role"] = [$"role may have at most {MaxNameLength} characters."];
        }
        if (email is null && phone is null)
        {
            errors.Fail(prefix + "email", FieldErrorCodes.EmailOrPhoneRequired, "give an e-mail address or a phone number, so the contact can be reached.");
        }
        return errors.Count > before ? null : new ContactFacts(name!, email?.ToLowerInvariant(), phone, role, request.ConsentToPublish ?? false);
    }

    /// <summary>
    /// Other services copy an organisation's name, kind and district with its memberships, so a change
    /// to one of them is announced; a new town, website or industries concerns only this service.
    /// </summary>
    public static bool ChangesWhatOthersCopy(string name, string kind, string district, OrganizationFacts next) =>
        !string.Equals(name, next.Name, StringComparison.Ordinal)
        || !string.Equals(kind, next.Kind, StringComparison.Ordinal)
        || !string.Equals(district, next.District, StringComparison.Ordinal);

    public static bool IsWebUrl(string value) =>
        value.Length <= MaxTextLength
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Contains('.', StringComparison.Ordinal)
        && string.IsNullOrEmpty(uri.UserInfo);

    public static bool IsEmail(string value)
    {
        if (value.Length > 254 || value.Contains(' ', StringComparison.Ordinal) || !MailAddress.TryCreate(value, out var address))
        {
            return false;
        }
        // MailAddress accepts display-name forms ("A <a@b.de>"); only the bare address is an e-mail field.
        return address.Address == value && address.Host.Contains('.', StringComparison.Ordinal);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Empty (or no letter or digit) is "required", over the limit "too-long".</summary>
    private static string LengthCode(string? text, int max) =>
        text is { Length: > 0 } && text.Length > max ? FieldErrorCodes.TooLong : FieldErrorCodes.Required;
}
