namespace EmsAchse.Platform.Reference;

public sealed record DemoNetwork(string Slug, string Name, string Description, IReadOnlyList<string> Topics, DateOnly? Founded);

/// <summary>A fictional manager of a demo network (example.org addresses, nobody real).</summary>
public sealed record DemoManager(Guid Id, string NetworkSlug, string Name, string Email);

public sealed record DemoSite(Guid Id, string NetworkSlug, string Name, string Town, string District, string? Address, DateOnly Opened);

/// <summary>
/// The seed state of DESIGN: Ems-Achse's competence networks and their sites. Site ids are fixed so
/// that the funding service's seed can name the same sites without reading another service's data.
/// </summary>
public static class DemoCatalogue
{
    public static readonly DemoSite ItAchseLingen = new(Guid.Parse("6f1c2a10-0000-4000-8000-000000000001"), "it-achse", "Lingen", "Lingen (Ems)", "emsland", "Kaiserstraße 10a, 49809 Lingen (Ems)", new DateOnly(2012, 1, 1));
    public static readonly DemoSite ItAchseLeer = new(Guid.Parse("6f1c2a10-0000-4000-8000-000000000002"), "it-achse", "Leer", "Leer (Ostfriesland)", "leer", "Bergmannstraße 37, 26789 Leer", new DateOnly(2014, 1, 1));
    public static readonly DemoSite LogistikachseEmden = new(Guid.Parse("6f1c2a10-0000-4000-8000-000000000007"), "logistikachse-ems", "Emden", "Emden", "emden", null, new DateOnly(2015, 1, 1));

    public static readonly IReadOnlyList<DemoNetwork> Networks =
    [
        new("it-achse", "IT-Achse", "Das Kompetenznetzwerk IT aus dem Emsland, der Grafschaft Bentheim und Ostfriesland: IT-Unternehmen, Institutionen, Forschungs- und Bildungseinrichtungen der Ems-Achse.", ["it", "digitalisierung", "fachkraefte"], new DateOnly(2012, 1, 1)),
        new("energie-achse-ems", "Energie-Achse Ems", "Kompetenznetzwerk der Energiewirtschaft, von Windkraft und Offshore bis Wasserstoff.", ["energy", "wind", "offshore", "wasserstoff"], null),
        new("mema", "Metall und Maschinenbau (MEMA)", "Kompetenznetzwerk der Metall- und Maschinenbauunternehmen der Region.", ["metal", "machinery"], null),
        new("mariko", "Maritime Verbundwirtschaft (MARIKO)", "Maritimes Kompetenzzentrum für Schifffahrt, Schiffbau und Häfen.", ["maritime", "shipping", "shipbuilding"], null),
        new("kunststoffnetzwerk", "Kunststoffnetzwerk", "Netzwerk der kunststoffverarbeitenden Unternehmen.", ["plastics"], null),
        new("logistikachse-ems", "Logistikachse Ems", "Kompetenznetzwerk für Logistik und Häfen an der Ems.", ["logistics", "ports"], null),
        new("automotive", "Automotive", "Netzwerk der Fahrzeugbau- und Zulieferindustrie.", ["automotive", "vehicles"], null),
        new("tourismus", "Tourismus", "Netzwerk der Tourismuswirtschaft.", ["tourism"], null),
    ];

    public static readonly IReadOnlyList<DemoSite> Sites =
    [
        ItAchseLingen,
        ItAchseLeer,
        new(Guid.Parse("6f1c2a10-0000-4000-8000-000000000003"), "energie-achse-ems", "Aurich", "Aurich", "aurich", null, new DateOnly(2013, 1, 1)),
        new(Guid.Parse("6f1c2a10-0000-4000-8000-000000000004"), "energie-achse-ems", "Lingen", "Lingen (Ems)", "emsland", null, new DateOnly(2013, 1, 1)),
        new(Guid.Parse("6f1c2a10-0000-4000-8000-000000000005"), "mema", "Meppen", "Meppen", "emsland", null, new DateOnly(2010, 1, 1)),
        new(Guid.Parse("6f1c2a10-0000-4000-8000-000000000006"), "mariko", "Leer", "Leer (Ostfriesland)", "leer", null, new DateOnly(2009, 1, 1)),
        new(Guid.Parse("6f1c2a10-0000-4000-8000-000000000008"), "kunststoffnetzwerk", "Nordhorn", "Nordhorn", "grafschaft-bentheim", null, new DateOnly(2011, 1, 1)),
        LogistikachseEmden,
        new(Guid.Parse("6f1c2a10-0000-4000-8000-000000000009"), "automotive", "Emden", "Emden", "emden", null, new DateOnly(2016, 1, 1)),
        new(Guid.Parse("6f1c2a10-0000-4000-8000-00000000000a"), "tourismus", "Wittmund", "Wittmund", "wittmund", null, new DateOnly(2017, 1, 1)),
    ];

    /// <summary>One fictional manager per demo network, appointed by the networks service's demo seed.</summary>
    public static readonly IReadOnlyList<DemoManager> Managers = [.. Networks.Select((n, i) => new DemoManager(
        Guid.Parse($"7a2d3b20-0000-4000-8000-{i + 1:x12}"), n.Slug, $"Demo-Management {n.Name}", $"demo.{n.Slug}@example.org"))];
}
