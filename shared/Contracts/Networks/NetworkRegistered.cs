namespace EmsAchse.Contracts.Networks;

/// <summary>A competence network joined the alliance. Carries the network's full state at <see cref="Version"/>.</summary>
public sealed record NetworkRegistered(
    string Slug,
    string Name,
    string Description,
    IReadOnlyList<string> Topics,
    DateOnly? Founded,
    string Status,
    long Version,
    DateTimeOffset OccurredAt);
