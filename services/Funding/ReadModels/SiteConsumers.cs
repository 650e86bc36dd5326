using EmsAchse.Contracts.Networks;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Funding.ReadModels;

/// <summary>The local copy of the networks service's sites: commitments go only to known, open sites.</summary>
internal static class SiteCopy
{
    public static Task UpsertAsync(WriteTransaction tx, Guid siteId, string networkSlug, string name, string status, DateOnly? closed, long version)
    {
        const string sql = """
            INSERT INTO sites (id, network_slug, name, status, closed, version) VALUES (@siteId, @networkSlug, @name, @status, @closed, @version)
            ON CONFLICT (id) DO UPDATE SET network_slug = excluded.network_slug, name = excluded.name,
                status = excluded.status, closed = excluded.closed, version = excluded.version
            WHERE sites.version < excluded.version
            """;
        return tx.ExecuteAsync(sql, new { siteId, networkSlug, name, status, closed, version });
    }
}

public sealed class SiteOpenedConsumer(Inbox inbox) : IdempotentConsumer<SiteOpened>(inbox)
{
    protected override Task ApplyAsync(SiteOpened message, WriteTransaction tx) =>
        SiteCopy.UpsertAsync(tx, message.SiteId, message.NetworkSlug, message.Name, message.Status, message.Closed, message.Version);
}

public sealed class SiteChangedConsumer(Inbox inbox) : IdempotentConsumer<SiteChanged>(inbox)
{
    protected override Task ApplyAsync(SiteChanged message, WriteTransaction tx) =>
        SiteCopy.UpsertAsync(tx, message.SiteId, message.NetworkSlug, message.Name, message.Status, message.Closed, message.Version);
}

public sealed class SiteClosedConsumer(Inbox inbox) : IdempotentConsumer<SiteClosed>(inbox)
{
    protected override Task ApplyAsync(SiteClosed message, WriteTransaction tx) =>
        SiteCopy.UpsertAsync(tx, message.SiteId, message.NetworkSlug, message.Name, "closed", message.Closed, message.Version);
}
