namespace EmsAchse.Contracts.Networks;

/// <summary>A network was dissolved: it stays readable but takes no new sites or members.</summary>
public sealed record NetworkDissolved(
    string Slug,
    string Name,
    DateOnly DissolvedOn,
    long Version,
    DateTimeOffset OccurredAt);
