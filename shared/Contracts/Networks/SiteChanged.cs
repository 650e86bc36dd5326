namespace EmsAchse.Contracts.Networks;

/// <summary>A site's details changed (also sent when re-syncing a consumer's copy). Carries the site's full state at <see cref="Version"/>.</summary>
public sealed record SiteChanged(
    Guid SiteId,
    string NetworkSlug,
    string Name,
    string Town,
    string District,
    string? Address,
    string Status,
    DateOnly Opened,
    DateOnly? Closed,
    long Version,
    DateTimeOffset OccurredAt);
