using System.Text.RegularExpressions;
using EmsAchse.Platform.Reference;

namespace EmsAchse.Networks.Sites;

/// <summary>What a site must satisfy: a name, a plausible town, one of the alliance's districts; and when it may change or close.</summary>
public static class SiteRules
{
    public static Dictionary<string, string[]> Validate(string? name, string? town, string? district, string? address = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 120)
        {
            errors["name"] = ["name is required (at most 120 characters)."];
        }
        if (!TownName.IsPlausible(town))
        {
            errors["town"] = ["town must be a place name of 2-80 characters (letters, spaces, and . ' ( ) / -), e.g. 'Lingen (Ems)'."];
        }
        if (Districts.Find(district) is null)
        {
            errors["district"] = [$"district must be one of: {string.Join(", ", Districts.All.Select(d => d.Code))}."];
        }
        if (address is { } a && (a.Trim().Length > 200 || a.Any(char.IsControl)))
        {
            errors["address"] = ["address may have at most 200 characters on one line."];
        }
        return errors;
    }

    /// <summary>A closed site keeps its history as it was; it is no longer changed.</summary>
    public static string? ChangeConflict(string siteName, string status) =>
        status == SiteStatus.Closed ? $"Site '{siteName}' is closed; a closed site keeps its history and cannot be changed." : null;

    public static string? CloseConflict(string siteName, string status, DateOnly? closed) =>
        status == SiteStatus.Closed ? $"Site '{siteName}' is already closed (since {closed:yyyy-MM-dd})." : null;

    /// <summary>The closing date: not before the opening and not in the future (a closed site is closed from that day on).</summary>
    public static Dictionary<string, string[]> ValidateClosing(DateOnly opened, DateOnly closed, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        if (closed < opened)
        {
            errors["closed"] = [$"closed cannot be before the site opened ({opened:yyyy-MM-dd})."];
        }
        else if (closed > today)
        {
            errors["closed"] = [$"closed cannot be in the future (today is {today:yyyy-MM-dd})."];
        }
        return errors;
    }

    public static string DuplicateName(string slug, string name) => $"'{slug}' already has an open site named '{name}'.";
}

public static class SiteStatus
{
    public const string Open = "open";
    public const string Closed = "closed";
}

/// <summary>A plausible place name: starts with a letter, then letters, spaces and . ' ( ) / - only, 2-80 characters.</summary>
public static partial class TownName
{
    public static bool IsPlausible(string? town) =>
        town is not null && town.Trim() is { Length: >= 2 and <= 80 } trimmed && Pattern().IsMatch(trimmed) && !trimmed.Contains("  ", StringComparison.Ordinal);

    [GeneratedRegex(@"^\p{L}[\p{L} .'()/-]*[\p{L}.)]$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
