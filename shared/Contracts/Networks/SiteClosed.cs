namespace EmsAchse.Contracts.Networks;

/// <summary>A site was closed on Closed; its history stays. Carries the site's full state at <see cref="Version"/>.</summary>
public sealed record SiteClosed(
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
