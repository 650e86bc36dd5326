namespace EmsAchse.Portal.Map;

/// <summary>A point in WGS84 degrees.</summary>
public readonly record struct GeoPoint(double Longitude, double Latitude);

/// <summary>A point in the SVG's user units (x to the right, y downwards).</summary>
public readonly record struct MapPoint(double X, double Y);

/// <summary>
/// Equirectangular projection of a small area: longitude scaled by the cosine of the area's middle latitude, so
/// that a kilometre east is as long on the map as a kilometre north (accurate enough over 1.5° of latitude).
/// North is up; the area's bounding box fills <see cref="Width"/> × <see cref="Height"/> after <see cref="Margin"/>.
/// </summary>
public sealed class MapProjection
{
    private readonly double _west;
    private readonly double _north;
    private readonly double _scale;
    private readonly double _cosLatitude;

    public MapProjection(double west, double south, double east, double north, double width, double margin = 10)
    {
        if (east <= west || north <= south)
        {
            throw new ArgumentException("the bounding box must have east > west and north > south");
        }
        _west = west;
        _north = north;
        _cosLatitude = Math.Cos((south + north) / 2 * Math.PI / 180);
        Margin = margin;
        Width = width;
        _scale = (width - 2 * margin) / ((east - west) * _cosLatitude);
        Height = Math.Round((north - south) * _scale + 2 * margin, 1);
    }

    public double Width { get; }

    public double Height { get; }

    public double Margin { get; }

    public MapPoint Project(GeoPoint point) => new(
        Math.Round(Margin + (point.Longitude - _west) * _cosLatitude * _scale, 1),
        Math.Round(Margin + (_north - point.Latitude) * _scale, 1));

    /// <summary>An SVG path ("M x y L x y … Z") of a closed outline.</summary>
    public string Path(IEnumerable<GeoPoint> outline)
    {
        var points = outline.Select(Project).Select(p => FormattableString.Invariant($"{p.X} {p.Y}")).ToList();
        return points.Count == 0 ? "" : "M " + string.Join(" L ", points) + " Z";
    }
}
