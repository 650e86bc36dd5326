namespace EmsAchse.Contracts.Networks;

/// <summary>
/// A manager was removed from a network: the account with this e-mail address loses the network's claim.
/// Re-published on a re-sync, so a removal a consumer missed is repaired.
/// </summary>
public sealed record ManagerRemoved(
    Guid ManagerId,
    string Email,
    string Name,
    string NetworkSlug,
    long Version,
    DateTimeOffset OccurredAt);
