namespace EmsAchse.Contracts.Networks;

/// <summary>
/// A person manages a network: the identity service grants the account with this e-mail address the
/// network's claim (or invites the person). Re-published at its current version on a re-sync.
/// </summary>
public sealed record ManagerAppointed(
    Guid ManagerId,
    string Email,
    string Name,
    string NetworkSlug,
    long Version,
    DateTimeOffset OccurredAt);
