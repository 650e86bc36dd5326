using EmsAchse.Contracts.Networks;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Funding.ReadModels;

/// <summary>The local copy of the network catalogue: fee schedules and reports are per known network.</summary>
internal static class NetworkCopy
{
    public static Task UpsertAsync(WriteTransaction tx, string slug, string name, string status, long version)
    {
        const string sql = """
            INSERT INTO networks (slug, name, status, version) VALUES (@slug, @name, @status, @version)
            ON CONFLICT (slug) DO UPDATE SET name = excluded.name, status = excluded.status, version = excluded.version
            WHERE networks.version < excluded.version
            """;
        return tx.ExecuteAsync(sql, new { slug, name, status, version });
    }
}

public sealed class NetworkRegisteredConsumer(Inbox inbox) : IdempotentConsumer<NetworkRegistered>(inbox)
{
    protected override Task ApplyAsync(NetworkRegistered message, WriteTransaction tx) =>
        NetworkCopy.UpsertAsync(tx, message.Slug, message.Name, message.Status, message.Version);
}

public sealed class NetworkChangedConsumer(Inbox inbox) : IdempotentConsumer<NetworkChanged>(inbox)
{
    protected override Task ApplyAsync(NetworkChanged message, WriteTransaction tx) =>
        NetworkCopy.UpsertAsync(tx, message.Slug, message.Name, message.Status, message.Version);
}

public sealed class NetworkDissolvedConsumer(Inbox inbox) : IdempotentConsumer<NetworkDissolved>(inbox)
{
    protected override Task ApplyAsync(NetworkDissolved message, WriteTransaction tx) =>
        NetworkCopy.UpsertAsync(tx, message.Slug, message.Name, "dissolved", message.Version);
}
