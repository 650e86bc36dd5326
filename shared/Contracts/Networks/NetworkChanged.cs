namespace EmsAchse.Contracts.Networks;

/// <summary>A network's catalogue entry changed (also sent when re-syncing a consumer's copy).</summary>
public sealed record NetworkChanged(
    string Slug,
    string Name,
    string Description,
    IReadOnlyList<string> Topics,
    DateOnly? Founded,
    string Status,
    long Version,
    DateTimeOffset OccurredAt);
