namespace EmsAchse.Contracts.Funding;

/// <summary>A funder committed a share of a site's cost (new or changed commitment).</summary>
public sealed record FundingCommitted(
    Guid CommitmentId,
    Guid FunderId,
    string FunderName,
    Guid SiteId,
    int ShareBasisPoints,
    DateOnly ValidFrom,
    DateOnly? ValidTo,
    long Version,
    DateTimeOffset OccurredAt);
