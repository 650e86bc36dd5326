namespace EmsAchse.Members.Organizations;

/// <summary>A code of a fixed vocabulary with its German display name.</summary>
public sealed record VocabularyEntry(string Code, string Name);

/// <summary>The fixed vocabularies of an organisation (DESIGN "Vocabularies"); codes are matched case-insensitively.</summary>
public static class OrganizationVocabulary
{
    public static readonly IReadOnlyList<VocabularyEntry> Kinds =
    [
        new("company", "Unternehmen"),
        new("municipality", "Kommune"),
        new("education", "Bildungseinrichtung"),
        new("research", "Forschungseinrichtung"),
        new("chamber", "Kammer"),
        new("association", "Verband"),
        new("institution", "Institution"),
    ];

    // Only the members service uses industries: no other service needs them, so they live here.
    public static readonly IReadOnlyList<VocabularyEntry> Industries =
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
        new("energy", "Energie Windenergie Offshore"),
        new("logistics", "Logistik und Häfen"),
        new("construction", "Bauwirtschaft"),
        new("agriculture-food", "Landwirtschaft und Ernährung"),
        new("health", "Gesundheit"),
        new("tourism", "Tourismus"),
        new("education-research", "Bildung und Forschung"),
        new("public-administration", "Öffentliche Verwaltung"),
        new("services", "Dienstleistungen"),
    ];

    /// <summary>Employee bands (headcount ranges), so no organisation has to state an exact figure.</summary>
    public static readonly IReadOnlyList<VocabularyEntry> EmployeeBands =
    [
        new("1-9", "1 bis 9"),
        new("10-49", "10 bis 49"),
        new("50-249", "50 bis 249"),
        new("250-999", "250 bis 999"),
        new("1000+", "1000 und mehr"),
    ];

    public static string? FindKind(string? code) => Find(Kinds, code);

    public static string? FindIndustry(string? code) => Find(Industries, code);

    public static string? FindEmployeeBand(string? code) => Find(EmployeeBands, code);

    public static string IndustryName(string code) => Industries.First(i => i.Code == code).Name;

    public static string Codes(IReadOnlyList<VocabularyEntry> vocabulary) => string.Join(", ", vocabulary.Select(v => v.Code));

    private static string? Find(IReadOnlyList<VocabularyEntry> vocabulary, string? code) =>
        code is null ? null : vocabulary.FirstOrDefault(v => string.Equals(v.Code, code.Trim(), StringComparison.OrdinalIgnoreCase))?.Code;
}
