using EmsAchse.Contracts.Networks;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Networks.Managers;

/// <summary>A manager's row as the events announce it: current or removed, at its version.</summary>
internal sealed class ManagerState
{
    public Guid Id { get; init; }
    public string NetworkSlug { get; init; } = "";
    public string Name { get; init; } = "";
    public string Email { get; init; } = "";
    public long Version { get; init; }
    public DateTimeOffset? RemovedAt { get; init; }
}

internal static class ManagerStore
{
    public const string SelectAll = """
        SELECT id AS Id, network_slug AS NetworkSlug, name AS Name, email AS Email, version AS Version, removed_at AS RemovedAt
        FROM network_managers
        """;

    /// <summary>Publishes what the manager's current state announces: appointed, or removed once removed.</summary>
    public static Task AnnounceAsync(WriteTransaction tx, ManagerState m) => m.RemovedAt is null
        ? tx.PublishAsync(ManagerAggregate.Id(m.Id), new ManagerAppointed(m.Id, m.Email, m.Name, m.NetworkSlug, m.Version, tx.Now))
        : tx.PublishAsync(ManagerAggregate.Id(m.Id), new ManagerRemoved(m.Id, m.Email, m.Name, m.NetworkSlug, m.Version, tx.Now));
}

public static class ManagerAggregate
{
    public static string Id(Guid managerId) => $"manager/{managerId}";
}

/// <summary>
/// Answers a re-sync request with every manager of every network: the current ones as ManagerAppointed, the removed
/// ones as ManagerRemoved, at their current versions, so the identity service reconciles and repairs a missed removal.
/// </summary>
public sealed class ManagerResyncRequestedConsumer(Inbox inbox) : IdempotentConsumer<ManagerResyncRequested>(inbox)
{
    // Re-announces the current state: no change, so no change record.
    protected override bool RecordsChanges => false;

    protected override async Task ApplyAsync(ManagerResyncRequested message, WriteTransaction tx)
    {
        foreach (var manager in await tx.QueryAsync<ManagerState>(ManagerStore.SelectAll + " ORDER BY network_slug, id"))
        {
            await ManagerStore.AnnounceAsync(tx, manager);
        }
    }
}
