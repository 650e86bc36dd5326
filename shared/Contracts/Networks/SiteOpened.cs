namespace EmsAchse.Contracts.Networks;

/// <summary>A network opened a site. Carries the site's full state at <see cref="Version"/>.</summary>
public sealed record SiteOpened(
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
