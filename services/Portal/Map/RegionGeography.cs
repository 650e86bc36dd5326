namespace EmsAchse.Portal.Map;

/// <summary>A district's outline, simplified to a dozen corners.</summary>
public sealed record DistrictOutline(string Code, string Name, IReadOnlyList<GeoPoint> Outline, GeoPoint Label);

/// <summary>
/// The map's data, shipped with the portal: nothing is loaded from outside (no tile server).
/// Town coordinates are approximate WGS84 positions of the town centres as published in public gazetteers
/// (e.g. the coordinates on the towns' Wikipedia articles / OpenStreetMap), rounded to about 0.01°.
/// The district outlines are hand-simplified polygons traced from the districts' approximate borders: good for
/// orientation on a small overview map, not for measuring. Neighbouring outlines may overlap or leave slivers.
/// </summary>
public static class RegionGeography
{
    public const double West = 6.65;
    public const double East = 8.05;
    public const double South = 52.22;
    public const double North = 53.76;

    public static readonly IReadOnlyList<DistrictOutline> Districts =
    [
        new("grafschaft-bentheim", "Grafschaft Bentheim", Points(
            (6.70, 52.60), (6.80, 52.64), (7.05, 52.65), (7.25, 52.58), (7.33, 52.45), (7.30, 52.30), (7.10, 52.24),
            (6.95, 52.28), (6.75, 52.35), (6.72, 52.48)), new(6.93, 52.50)),
        new("emsland", "Emsland", Points(
            (7.05, 52.65), (7.25, 52.58), (7.33, 52.45), (7.40, 52.35), (7.60, 52.38), (7.80, 52.50), (7.95, 52.65),
            (7.95, 52.85), (7.80, 53.00), (7.60, 53.12), (7.40, 53.15), (7.20, 53.12), (7.05, 53.00), (7.00, 52.85)), new(7.55, 52.80)),
        new("leer", "Leer", Points(
            (7.20, 53.12), (7.40, 53.15), (7.60, 53.12), (7.75, 53.18), (7.70, 53.30), (7.50, 53.35), (7.35, 53.32),
            (7.25, 53.28), (7.20, 53.20)), new(7.58, 53.22)),
        new("emden", "Emden", Points(
            (7.10, 53.36), (7.22, 53.32), (7.30, 53.35), (7.28, 53.42), (7.15, 53.42)), new(7.19, 53.34)),
        new("aurich", "Aurich", Points(
            (7.00, 53.60), (7.05, 53.50), (7.15, 53.42), (7.28, 53.42), (7.30, 53.35), (7.35, 53.32), (7.50, 53.35),
            (7.70, 53.30), (7.70, 53.45), (7.62, 53.65), (7.40, 53.72), (7.15, 53.70)), new(7.35, 53.58)),
        new("wittmund", "Wittmund", Points(
            (7.70, 53.45), (7.95, 53.48), (7.98, 53.62), (7.90, 53.72), (7.62, 53.72), (7.62, 53.65)), new(7.82, 53.66)),
    ];

    /// <summary>Town centres by the names the networks service uses for sites (and a few more of the region).</summary>
    public static readonly IReadOnlyDictionary<string, GeoPoint> Towns = new Dictionary<string, GeoPoint>(StringComparer.OrdinalIgnoreCase)
    {
        ["Lingen (Ems)"] = new(7.32, 52.52),
        ["Meppen"] = new(7.29, 52.69),
        ["Papenburg"] = new(7.40, 53.08),
        ["Haselünne"] = new(7.48, 52.67),
        ["Nordhorn"] = new(7.07, 52.43),
        ["Bad Bentheim"] = new(7.16, 52.30),
        ["Leer (Ostfriesland)"] = new(7.45, 53.23),
        ["Emden"] = new(7.21, 53.37),
        ["Aurich"] = new(7.48, 53.47),
        ["Norden"] = new(7.21, 53.60),
        ["Wittmund"] = new(7.78, 53.58),
    };

    /// <summary>The alliance's office, Hauptkanal links 60, Papenburg.</summary>
    public static GeoPoint Office => Towns["Papenburg"];

    public static MapProjection Projection(double width) => new(West, South, East, North, width);

    /// <summary>Where a site goes: its town if known, else (with a plain name such as "Lingen") the town it starts, else its district's label point.</summary>
    public static GeoPoint? Locate(string town, string district)
    {
        if (Towns.TryGetValue(town.Trim(), out var point))
        {
            return point;
        }
        var prefix = Towns.FirstOrDefault(t => t.Key.StartsWith(town.Trim() + " ", StringComparison.OrdinalIgnoreCase));
        if (prefix.Key is not null)
        {
            return prefix.Value;
        }
        return Districts.FirstOrDefault(d => d.Code == district)?.Label;
    }

    private static GeoPoint[] Points(params (double Longitude, double Latitude)[] points) =>
        points.Select(p => new GeoPoint(p.Longitude, p.Latitude)).ToArray();
}
