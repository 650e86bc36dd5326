using System.Text.Json;
using EmsAchse.Contracts.Networks;
using EmsAchse.Networks.Networks;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;

namespace EmsAchse.Networks.Seed;

/// <summary>On first start with Seed:Demo=true, loads DESIGN's catalogue and announces it through the outbox.</summary>
internal sealed class DemoSeeder(ServiceDatabase db, IConfiguration configuration, ILogger<DemoSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue<bool>("Seed:Demo"))
        {
            return;
        }
        var seeded = await db.WriteAsync(async tx =>
        {
            if (await tx.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM networks") > 0)
            {
                return false;
            }
            foreach (var n in DemoCatalogue.Networks)
            {
                await tx.ExecuteAsync(
                    "INSERT INTO networks (slug, name, description, topics, founded, status, version, updated_at) VALUES (@Slug, @Name, @Description, @topics, @Founded, 'active', 1, @now)",
                    new { n.Slug, n.Name, n.Description, topics = JsonSerializer.Serialize(n.Topics), n.Founded, now = tx.Now });
                await tx.PublishAsync(NetworkAggregate.Id(n.Slug), new NetworkRegistered(n.Slug, n.Name, n.Description, n.Topics, n.Founded, "active", 1, tx.Now));
            }
            foreach (var s in DemoCatalogue.Sites)
            {
                await tx.ExecuteAsync(
                    "INSERT INTO sites (id, network_slug, name, town, district, address, status, opened, closed, version) VALUES (@Id, @NetworkSlug, @Name, @Town, @District, @Address, 'open', @Opened, NULL, 1)",
                    s);
                await tx.PublishAsync(NetworkAggregate.SiteId(s.Id), new SiteOpened(s.Id, s.NetworkSlug, s.Name, s.Town, s.District, s.Address, "open", s.Opened, null, 1, tx.Now));
            }
            return true;
        }, cancellationToken);
        if (seeded)
        {
            logger.LogInformation("Seeded the demo catalogue: {Networks} networks, {Sites} sites", DemoCatalogue.Networks.Count, DemoCatalogue.Sites.Count);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
