using System.Text.RegularExpressions;

namespace EmsAchse.Networks.Networks;

/// <summary>Slugs: lower-case letters, digits and hyphens, 2-40 characters; words that are routes are reserved.</summary>
public static partial class NetworkSlug
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "umbrella", "resync", "sites", "managers", "members", "new", "admin" };

    public static string? Problem(string? slug)
    {
        if (string.IsNullOrWhiteSpace(slug))
        {
            return "slug is required.";
        }
        if (!Pattern().IsMatch(slug))
        {
            return "slug must be 2-40 lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen.";
        }
        return Reserved.Contains(slug) ? $"slug '{slug}' is reserved." : null;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,38}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
