using EmsAchse.Contracts.Networks;
using EmsAchse.Funding.Commitments;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.ReadModels;
using EmsAchse.Platform.Reference;
using MassTransit;

namespace EmsAchse.Funding.ReadModels;

/// <summary>
/// The copy of the networks service's sites, table <c>sites</c>: commitments go only to known, open sites. When a
/// site is closed, its commitments end at the closing day.
/// </summary>
public sealed class SitesConsumer(Inbox inbox, TimeProvider clock) : InboxConsumer(inbox),
    IConsumer<SiteOpened>, IConsumer<SiteChanged>, IConsumer<SiteClosed>
{
    private static readonly VersionedCopy Sites = new("sites", "id", "network_slug", "name", "town", "district", "status", "opened", "closed");

    public Task Consume(ConsumeContext<SiteOpened> context) =>
        ApplyOnceAsync(context, (m, tx) => CopyAsync(tx, clock, m.SiteId, m.NetworkSlug, m.Name, m.Town, m.District, m.Status, m.Opened, m.Closed, m.Version));

    public Task Consume(ConsumeContext<SiteChanged> context) =>
        ApplyOnceAsync(context, (m, tx) => CopyAsync(tx, clock, m.SiteId, m.NetworkSlug, m.Name, m.Town, m.District, m.Status, m.Opened, m.Closed, m.Version));

    public Task Consume(ConsumeContext<SiteClosed> context) =>
        ApplyOnceAsync(context, (m, tx) => CopyAsync(tx, clock, m.SiteId, m.NetworkSlug, m.Name, m.Town, m.District, "closed", m.Opened, m.Closed ?? BusinessCalendar.DateOf(m.OccurredAt), m.Version));

    /// <summary>Keeps the newer state; when the site is closed, its commitments end at the closing day.</summary>
    internal static async Task CopyAsync(WriteTransaction tx, TimeProvider clock, Guid id, string networkSlug, string name, string town, string district, string status, DateOnly opened, DateOnly? closed, long version)
    {
        var applied = await Sites.UpsertAsync(tx, new { Id = id, NetworkSlug = networkSlug, Name = name, Town = town, District = district, Status = status, Opened = opened, Closed = closed, Version = version });
        if (applied && status == "closed" && closed is { } closingDay)
        {
            await CommitmentStore.EndAtSiteClosingAsync(tx, id, networkSlug, closingDay, clock);
        }
    }
}
