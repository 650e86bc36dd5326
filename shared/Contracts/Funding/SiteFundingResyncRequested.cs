namespace EmsAchse.Contracts.Funding;

/// <summary>
/// A service asks the funding service to publish every site's announced coverage again (SiteFundingChanged
/// at its current version), e.g. after starting late or restoring its database.
/// </summary>
public sealed record SiteFundingResyncRequested(string RequestedBy, DateTimeOffset RequestedAt);
