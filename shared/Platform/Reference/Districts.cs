namespace EmsAchse.Platform.Reference;

public sealed record Region(string Code, string Name);

public sealed record District(string Code, string Name, string Ags, Region Region);

/// <summary>The alliance's districts and their regions (DESIGN "Reference data").</summary>
public static class Districts
{
    public static readonly Region Emsland = new("emsland", "Emsland");
    public static readonly Region GrafschaftBentheim = new("grafschaft-bentheim", "Grafschaft Bentheim");
    public static readonly Region Ostfriesland = new("ostfriesland", "Ostfriesland");

    public static readonly IReadOnlyList<Region> Regions = [Emsland, GrafschaftBentheim, Ostfriesland];

    public static readonly IReadOnlyList<District> All =
    [
        new("emsland", "Landkreis Emsland", "03454", Emsland),
        new("grafschaft-bentheim", "Landkreis Grafschaft Bentheim", "03456", GrafschaftBentheim),
        new("leer", "Landkreis Leer", "03457", Ostfriesland),
        new("aurich", "Landkreis Aurich", "03452", Ostfriesland),
        new("wittmund", "Landkreis Wittmund", "03462", Ostfriesland),
        new("emden", "Stadt Emden", "03402", Ostfriesland),
    ];

    /// <summary>Finds a district by its code, case-insensitively.</summary>
    public static District? Find(string? code) =>
        code is null ? null : All.FirstOrDefault(d => string.Equals(d.Code, code.Trim(), StringComparison.OrdinalIgnoreCase));

    public static Region? FindRegion(string? code) =>
        code is null ? null : Regions.FirstOrDefault(r => string.Equals(r.Code, code.Trim(), StringComparison.OrdinalIgnoreCase));
}
