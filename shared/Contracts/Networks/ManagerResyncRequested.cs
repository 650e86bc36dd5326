namespace EmsAchse.Contracts.Networks;

/// <summary>
/// A service asks the networks service to publish every manager again (ManagerAppointed for the current
/// ones, ManagerRemoved for the removed ones, at their current versions), e.g. at its start.
/// </summary>
public sealed record ManagerResyncRequested(string RequestedBy, DateTimeOffset RequestedAt);
