namespace EmsAchse.Portal.SignIn;

/// <summary>Who a console section is for, and so where the navigation shows it.</summary>
public enum ConsoleScope
{
    /// <summary>One network's section (route with <c>{slug}</c>): shown for each network the user manages.</summary>
    Network,

    /// <summary>The whole platform's section: admins only.</summary>
    Platform,
}

/// <summary>
/// Puts a routable console page into ConsoleLayout's navigation, found by reflection: a new section needs no edit of
/// the layout. The page's first <c>@page</c> route is the link (its <c>{slug}</c> filled per network); lower orders first.
/// The page still declares its own <c>[Authorize]</c> policy; the navigation only hides what would be refused.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ConsoleSectionAttribute(string label, ConsoleScope scope, int order = 100) : Attribute
{
    public string Label { get; } = label;

    public ConsoleScope Scope { get; } = scope;

    public int Order { get; } = order;
}
