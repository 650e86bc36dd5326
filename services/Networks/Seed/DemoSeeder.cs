using System.Text.Json;
using EmsAchse.Contracts.Networks;
using EmsAchse.Networks.Managers;
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
        var appointed = await db.WriteAsync(AppointDemoManagersAsync, cancellationToken);
        if (appointed > 0)
        {
            logger.LogInformation("Appointed {Managers} demo managers", appointed);
        }
    }

    /// <summary>
    /// Each demo network that exists and never had its demo manager gets it (also in databases seeded before managers
    /// were part of the demo); a demo manager removed since stays removed.
    /// </summary>
    private static async Task<int> AppointDemoManagersAsync(WriteTransaction tx)
    {
        var appointed = 0;
        foreach (var m in DemoCatalogue.Managers)
        {
            const string missing = """
                SELECT COUNT(*) FROM networks n
                WHERE n.slug = @NetworkSlug AND n.status = 'active'
                  AND NOT EXISTS (SELECT 1 FROM network_managers m WHERE m.id = @Id OR (m.network_slug = @NetworkSlug AND lower(m.email) = lower(@Email)))
                """;
            if (await tx.ExecuteScalarAsync<long>(missing, m) == 0)
            {
                continue;
            }
            // Another instance seeding at the same moment wins the row; only the one that inserted announces it.
            var inserted = await tx.ExecuteAsync(
                "INSERT INTO network_managers (id, network_slug, name, email, phone, site_id, added_at, version) VALUES (@Id, @NetworkSlug, @Name, @Email, NULL, NULL, @now, 1) ON CONFLICT DO NOTHING",
                new { m.Id, m.NetworkSlug, m.Name, m.Email, now = tx.Now });
            if (inserted == 0)
            {
                continue;
            }
            await tx.PublishAsync(ManagerAggregate.Id(m.Id), new ManagerAppointed(m.Id, m.Email, m.Name, m.NetworkSlug, 1, tx.Now));
            appointed++;
        }
        return appointed;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
