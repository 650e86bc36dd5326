namespace EmsAchse.Contracts.Networks;

/// <summary>
/// A service asks the networks service to publish its whole catalogue again (NetworkChanged and
/// SiteChanged for every network and site), e.g. after starting late or restoring its database.
/// </summary>
public sealed record NetworkCatalogResyncRequested(string RequestedBy, DateTimeOffset RequestedAt);
