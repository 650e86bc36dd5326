namespace EmsAchse.Networks.Networks;

/// <summary>What a network's catalogue entry must satisfy, and when it may be changed or dissolved.</summary>
public static class NetworkRules
{
    public const int MaxTopics = 20;

    public static Dictionary<string, string[]> ValidateDetails(string? name, string? description, IReadOnlyList<string>? topics, DateOnly? founded, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 200)
        {
            errors["name"] = ["name is required (at most 200 characters)."];
        }
        if (description is { Length: > 4000 })
        {
            errors["description"] = ["description may have at most 4000 characters."];
        }
        if (topics is { Count: > MaxTopics } || (topics ?? []).Any(t => t is null || t.Trim().Length is 0 or > 60))
        {
            errors["topics"] = [$"topics must be at most {MaxTopics} non-empty texts of at most 60 characters."];
        }
        if (founded is { } f && (f.Year < 1900 || f > today))
        {
            errors["founded"] = [$"founded must be a date between 1900-01-01 and today ({today:yyyy-MM-dd})."];
        }
        return errors;
    }

    /// <summary>Topics trimmed, without case-insensitive duplicates, in the caller's order.</summary>
    public static string[] NormaliseTopics(IReadOnlyList<string>? topics) =>
        (topics ?? []).Select(t => t.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>A dissolved network is history: readable, but no longer changed.</summary>
    public static string? ChangeConflict(string slug, string status) =>
        status == NetworkStatus.Dissolved ? $"Network '{slug}' is dissolved; its entry is kept as history and cannot be changed." : null;

    public static string? DissolutionConflict(string slug, string status) =>
        status == NetworkStatus.Dissolved ? $"Network '{slug}' is already dissolved." : null;

    /// <summary>
    /// The dissolution date: not in the future, not before the founding, and not before the opening of
    /// a site that is still open (dissolving closes the open sites on that date).
    /// </summary>
    public static Dictionary<string, string[]> ValidateDissolution(DateOnly dissolvedOn, DateOnly? founded, DateOnly? latestOpenSiteOpened, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        if (dissolvedOn > today)
        {
            errors["dissolvedOn"] = [$"dissolvedOn cannot be in the future (today is {today:yyyy-MM-dd})."];
        }
        else if (founded is { } f && dissolvedOn < f)
        {
            errors["dissolvedOn"] = [$"dissolvedOn cannot be before the network was founded ({f:yyyy-MM-dd})."];
        }
        else if (latestOpenSiteOpened is { } opened && dissolvedOn < opened)
        {
            errors["dissolvedOn"] = [$"dissolvedOn cannot be before the opening of its open site ({opened:yyyy-MM-dd}); the open sites close on that date."];
        }
        return errors;
    }
}

public static class NetworkStatus
{
    public const string Active = "active";
    public const string Dissolved = "dissolved";
}
