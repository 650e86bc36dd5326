namespace EmsAchse.Contracts.Funding;

/// <summary>A commitment was ended; it no longer counts after <see cref="ValidTo"/>.</summary>
public sealed record FundingCommitmentEnded(
    Guid CommitmentId,
    Guid FunderId,
    Guid SiteId,
    int ShareBasisPoints,
    DateOnly ValidFrom,
    DateOnly ValidTo,
    long Version,
    DateTimeOffset OccurredAt);
