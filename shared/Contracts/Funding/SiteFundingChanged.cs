namespace EmsAchse.Contracts.Funding;

/// <summary>
/// A site's funding coverage changed. <see cref="CoverageBasisPoints"/> is the coverage on
/// <see cref="AsOf"/> (today in Europe/Berlin when published); 10000 = fully funded.
/// </summary>
public sealed record SiteFundingChanged(
    Guid SiteId,
    string NetworkSlug,
    DateOnly AsOf,
    int CoverageBasisPoints,
    string Status,
    long Version,
    DateTimeOffset OccurredAt);
