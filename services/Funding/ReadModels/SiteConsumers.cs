using EmsAchse.Contracts.Networks;
using EmsAchse.Funding.Commitments;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;

namespace EmsAchse.Funding.ReadModels;

/// <summary>The local copy of the networks service's sites: commitments go only to known, open sites.</summary>
internal static class SiteCopy
{
    /// <summary>Keeps the newer state; when the site is closed, its commitments end at the closing day.</summary>
    public static async Task ApplyAsync(WriteTransaction tx, TimeProvider clock, Guid siteId, string networkSlug, string name, string town, string district, string status, DateOnly opened, DateOnly? closed, long version)
    {
        const string sql = """
            INSERT INTO sites (id, network_slug, name, town, district, status, opened, closed, version)
            VALUES (@siteId, @networkSlug, @name, @town, @district, @status, @opened, @closed, @version)
            ON CONFLICT (id) DO UPDATE SET network_slug = excluded.network_slug, name = excluded.name, town = excluded.town,
                district = excluded.district, status = excluded.status, opened = excluded.opened, closed = excluded.closed,
                version = excluded.version
            WHERE sites.version < excluded.version
            """;
        var applied = await tx.ExecuteAsync(sql, new { siteId, networkSlug, name, town, district, status, opened, closed, version });
        if (applied > 0 && status == "closed" && closed is { } closingDay)
        {
            await CommitmentStore.EndAtSiteClosingAsync(tx, siteId, networkSlug, closingDay, clock);
        }
    }
}

public sealed class SiteOpenedConsumer(Inbox inbox, TimeProvider clock) : IdempotentConsumer<SiteOpened>(inbox)
{
    protected override Task ApplyAsync(SiteOpened m, WriteTransaction tx) =>
        SiteCopy.ApplyAsync(tx, clock, m.SiteId, m.NetworkSlug, m.Name, m.Town, m.District, m.Status, m.Opened, m.Closed, m.Version);
}

public sealed class SiteChangedConsumer(Inbox inbox, TimeProvider clock) : IdempotentConsumer<SiteChanged>(inbox)
{
    protected override Task ApplyAsync(SiteChanged m, WriteTransaction tx) =>
        SiteCopy.ApplyAsync(tx, clock, m.SiteId, m.NetworkSlug, m.Name, m.Town, m.District, m.Status, m.Opened, m.Closed, m.Version);
}

public sealed class SiteClosedConsumer(Inbox inbox, TimeProvider clock) : IdempotentConsumer<SiteClosed>(inbox)
{
    protected override Task ApplyAsync(SiteClosed m, WriteTransaction tx) =>
        SiteCopy.ApplyAsync(tx, clock, m.SiteId, m.NetworkSlug, m.Name, m.Town, m.District, "closed", m.Opened, m.Closed ?? BusinessCalendar.DateOf(m.OccurredAt), m.Version);
}
