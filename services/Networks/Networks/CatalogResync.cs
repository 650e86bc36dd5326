using System.Text.Json;
using EmsAchse.Contracts.Networks;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Networks.Networks;

/// <summary>
/// Answers a re-sync request by publishing every network and site again (as NetworkChanged and
/// SiteChanged with their current versions), so a consumer that started late converges.
/// </summary>
public sealed class NetworkCatalogResyncRequestedConsumer(Inbox inbox) : IdempotentConsumer<NetworkCatalogResyncRequested>(inbox)
{
    private sealed class NetworkRow
    {
        public string Slug { get; init; } = "";
        public string Name { get; init; } = "";
        public string Description { get; init; } = "";
        public string Topics { get; init; } = "[]";
        public DateOnly? Founded { get; init; }
        public string Status { get; init; } = "";
        public long Version { get; init; }
    }

    private sealed class SiteRow
    {
        public Guid Id { get; init; }
        public string NetworkSlug { get; init; } = "";
        public string Name { get; init; } = "";
        public string Town { get; init; } = "";
        public string District { get; init; } = "";
        public string? Address { get; init; }
        public string Status { get; init; } = "";
        public DateOnly Opened { get; init; }
        public DateOnly? Closed { get; init; }
        public long Version { get; init; }
    }

    protected override async Task ApplyAsync(NetworkCatalogResyncRequested message, WriteTransaction tx)
    {
        var networks = await tx.QueryAsync<NetworkRow>(
            "SELECT slug AS Slug, name AS Name, description AS Description, topics AS Topics, founded AS Founded, status AS Status, version AS Version FROM networks ORDER BY slug");
        foreach (var n in networks)
        {
            var topics = JsonSerializer.Deserialize<string[]>(n.Topics) ?? [];
            await tx.PublishAsync(NetworkAggregate.Id(n.Slug), new NetworkChanged(n.Slug, n.Name, n.Description, topics, n.Founded, n.Status, n.Version, tx.Now));
        }
        var sites = await tx.QueryAsync<SiteRow>(
            "SELECT id AS Id, network_slug AS NetworkSlug, name AS Name, town AS Town, district AS District, address AS Address, status AS Status, opened AS Opened, closed AS Closed, version AS Version FROM sites ORDER BY id");
        foreach (var s in sites)
        {
            await tx.PublishAsync(NetworkAggregate.SiteId(s.Id), new SiteChanged(s.Id, s.NetworkSlug, s.Name, s.Town, s.District, s.Address, s.Status, s.Opened, s.Closed, s.Version, tx.Now));
        }
    }
}
