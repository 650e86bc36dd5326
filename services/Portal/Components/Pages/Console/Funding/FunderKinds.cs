using EmsAchse.Portal.Display;

namespace EmsAchse.Portal.Components.Pages.Console.Funding;

/// <summary>The funder kinds of DESIGN's vocabulary with their German names.</summary>
public static class FunderKinds
{
    public static readonly IReadOnlyList<Term> All =
    [
        new("district", "Landkreis"),
        new("city", "Stadt oder Gemeinde"),
        new("state", "Land"),
        new("federal", "Bund"),
        new("eu", "Europäische Union"),
        new("private", "privat"),
        new("membership-fees", "Mitgliedsbeiträge"),
    ];

    public static string Name(string? code) => All.FirstOrDefault(k => k.Code == code)?.Name ?? code ?? "";
}
