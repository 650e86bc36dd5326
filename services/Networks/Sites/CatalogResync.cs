using EmsAchse.Contracts.Networks;
using EmsAchse.Networks.Networks;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Networks.Sites;

/// <summary>
/// Answers a re-sync request by publishing every network and site again (as NetworkChanged and
/// SiteChanged with their current versions), so a consumer that started late converges. With the sites because it
/// announces both; a site belongs to a network, never the other way round.
/// </summary>
public sealed class NetworkCatalogResyncRequestedConsumer(Inbox inbox) : IdempotentConsumer<NetworkCatalogResyncRequested>(inbox)
{
    // Re-announces the current state: no change, so no change record.
    protected override bool RecordsChanges => false;

    protected override async Task ApplyAsync(NetworkCatalogResyncRequested message, WriteTransaction tx)
    {
        foreach (var n in await tx.QueryAsync<NetworkState>(NetworkStore.SelectAll))
        {
            await tx.PublishAsync(NetworkAggregate.Id(n.Slug), new NetworkChanged(n.Slug, n.Name, n.Description, n.TopicList, n.Founded, n.Status, n.Version, tx.Now));
        }
        var sites = await tx.QueryAsync<SiteState>(SiteStore.SelectAll);
        foreach (var s in sites)
        {
            await tx.PublishAsync(NetworkAggregate.SiteId(s.Id), new SiteChanged(s.Id, s.NetworkSlug, s.Name, s.Town, s.District, s.Address, s.Status, s.Opened, s.Closed, s.Version, tx.Now));
        }
    }
}
