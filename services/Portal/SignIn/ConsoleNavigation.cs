using System.Reflection;
using Microsoft.AspNetCore.Components;

namespace EmsAchse.Portal.SignIn;

/// <summary>A console section as the navigation lists it.</summary>
public sealed record ConsoleSection(string Label, ConsoleScope Scope, int Order, string Template)
{
    /// <summary>The link for one network (network sections) or the fixed link (platform sections).</summary>
    public string Link(string? slug = null) =>
        slug is null ? Template : Template.Replace("{slug}", Uri.EscapeDataString(slug), StringComparison.Ordinal);
}

/// <summary>The console's sections, found once from the pages' <see cref="ConsoleSectionAttribute"/>.</summary>
public static class ConsoleNavigation
{
    public static IReadOnlyList<ConsoleSection> Sections { get; } = Find();

    public static IEnumerable<ConsoleSection> ForNetwork() => Sections.Where(s => s.Scope == ConsoleScope.Network);

    /// <summary>The platform sections the user may see (admins only).</summary>
    public static IEnumerable<ConsoleSection> ForPlatform(ConsoleUser user) =>
        user.IsAdmin ? Sections.Where(s => s.Scope == ConsoleScope.Platform) : [];

    private static List<ConsoleSection> Find() =>
        typeof(ConsoleNavigation).Assembly.GetTypes()
            .Select(t => (Section: t.GetCustomAttribute<ConsoleSectionAttribute>(), Route: t.GetCustomAttributes<RouteAttribute>().FirstOrDefault()))
            .Where(x => x.Section is not null && x.Route is not null)
            .Select(x => new ConsoleSection(x.Section!.Label, x.Section.Scope, x.Section.Order, x.Route!.Template))
            // A network section's link can only fill {slug}; other route values would make no link.
            .Where(s => s.Template.Replace("{slug}", "", StringComparison.Ordinal).IndexOf('{', StringComparison.Ordinal) < 0)
            .OrderBy(s => s.Order)
            .ThenBy(s => s.Label, StringComparer.Ordinal)
            .ToList();
}
