namespace EmsAchse.Portal.Display;

/// <summary>A code on the wire with the name a visitor reads.</summary>
public sealed record Term(string Code, string Name);

/// <summary>
/// The platform's vocabularies (DESIGN "Vocabularies") with their German names. The portal references no service,
/// so it keeps the display names itself; an unknown code is shown as it came.
/// </summary>
public static class Vocabulary
{
    public static readonly IReadOnlyList<Term> Districts =
    [
        new("emsland", "Landkreis Emsland"),
        new("grafschaft-bentheim", "Landkreis Grafschaft Bentheim"),
        new("leer", "Landkreis Leer"),
        new("aurich", "Landkreis Aurich"),
        new("wittmund", "Landkreis Wittmund"),
        new("emden", "Stadt Emden"),
    ];

    public static readonly IReadOnlyList<Term> Regions =
    [
        new("emsland", "Emsland"),
        new("grafschaft-bentheim", "Grafschaft Bentheim"),
        new("ostfriesland", "Ostfriesland"),
    ];

    public static readonly IReadOnlyList<Term> Kinds =
    [
        new("company", "Unternehmen"),
        new("municipality", "Kommune"),
        new("education", "Bildungseinrichtung"),
        new("research", "Forschungseinrichtung"),
        new("chamber", "Kammer"),
        new("association", "Verband"),
        new("institution", "Institution"),
    ];

    public static readonly IReadOnlyList<Term> Industries =
    [
        new("it", "IT und Software"),
        new("wood", "Holzverarbeitung"),
        new("plastics", "Kunststoffverarbeitung"),
        new("metal", "Metallverarbeitung"),
        new("machinery", "Maschinenbau"),
        new("vehicles", "Fahrzeugbau"),
        new("automotive", "Automobilzulieferer"),
        new("shipbuilding", "Schiffbau"),
        new("shipping", "Schifffahrt"),
        new("maritime", "Maritime Wirtschaft"),
        new("energy", "Energie, Windenergie, Offshore"),
        new("logistics", "Logistik und Häfen"),
        new("construction", "Bauwirtschaft"),
        new("agriculture-food", "Landwirtschaft und Ernährung"),
        new("health", "Gesundheit"),
        new("tourism", "Tourismus"),
        new("education-research", "Bildung und Forschung"),
        new("public-administration", "Öffentliche Verwaltung"),
        new("services", "Dienstleistungen"),
    ];

    public static readonly IReadOnlyList<Term> EmployeeBands =
    [
        new("1-9", "1 bis 9 Beschäftigte"),
        new("10-49", "10 bis 49 Beschäftigte"),
        new("50-249", "50 bis 249 Beschäftigte"),
        new("250-999", "250 bis 999 Beschäftigte"),
        new("1000+", "1.000 und mehr Beschäftigte"),
    ];

    public static string District(string? code) => NameOf(Districts, code);

    public static string Region(string? code) => NameOf(Regions, code);

    public static string Kind(string? code) => NameOf(Kinds, code);

    public static string Industry(string? code) => NameOf(Industries, code);

    public static string EmployeeBand(string? code) => NameOf(EmployeeBands, code);

    /// <summary>The code if it is one of the vocabulary (case-insensitively), else null: a foreign value never reaches the API.</summary>
    public static string? Known(IReadOnlyList<Term> vocabulary, string? code) =>
        string.IsNullOrWhiteSpace(code) ? null : vocabulary.FirstOrDefault(t => string.Equals(t.Code, code.Trim(), StringComparison.OrdinalIgnoreCase))?.Code;

    private static string NameOf(IReadOnlyList<Term> vocabulary, string? code) =>
        code is null ? "" : vocabulary.FirstOrDefault(t => string.Equals(t.Code, code, StringComparison.OrdinalIgnoreCase))?.Name ?? code;
}
