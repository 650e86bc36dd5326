using EmsAchse.Funding.Coverage;
using EmsAchse.Funding.Fees;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;

namespace EmsAchse.Funding.Seed;

/// <summary>
/// On first start with Seed:Demo=true: the funders of the seed text and their shares (Lingen 50 % Landkreis
/// Emsland + 50 % Stadt Lingen, Leer 100 % Landkreis Leer, Logistikachse Emden 70/21/9), and membership
/// fee schedules for the demo networks (the plastics network charges no fees; the amounts are demo values,
/// the seed text names none).
/// </summary>
internal sealed class DemoSeeder(ServiceDatabase db, IConfiguration configuration, TimeProvider clock, ILogger<DemoSeeder> logger) : IHostedService
{
    private static readonly (Guid Id, string Name, string Kind, string? District)[] Funders =
    [
        (Guid.Parse("f0000000-0000-4000-8000-000000000001"), "Landkreis Emsland", "district", "emsland"),
        (Guid.Parse("f0000000-0000-4000-8000-000000000002"), "Stadt Lingen (Ems)", "city", "emsland"),
        (Guid.Parse("f0000000-0000-4000-8000-000000000003"), "Landkreis Leer", "district", "leer"),
        (Guid.Parse("f0000000-0000-4000-8000-000000000004"), "NBank (Investitions- und Förderbank Niedersachsen)", "state", null),
        (Guid.Parse("f0000000-0000-4000-8000-000000000005"), "Stadt Emden", "city", "emden"),
        (Guid.Parse("f0000000-0000-4000-8000-000000000006"), "Unternehmen der Logistikachse Ems", "private", "emden"),
    ];

    private static readonly (DemoSite Site, int Funder, int Share)[] Shares =
    [
        (DemoCatalogue.ItAchseLingen, 0, 5000),
        (DemoCatalogue.ItAchseLingen, 1, 5000),
        (DemoCatalogue.ItAchseLeer, 2, 10000),
        (DemoCatalogue.LogistikachseEmden, 3, 7000),
        (DemoCatalogue.LogistikachseEmden, 4, 2100),
        (DemoCatalogue.LogistikachseEmden, 5, 900),
    ];

    // Annual fee in cents for company, municipality, education, research, chamber, association, institution.
    private static readonly (string Network, long[] Fees)[] FeeSchedules =
    [
        ("it-achse", [60000, 30000, 15000, 15000, 0, 10000, 15000]),
        ("energie-achse-ems", [75000, 40000, 20000, 20000, 0, 15000, 20000]),
        ("mema", [50000, 25000, 12500, 12500, 0, 10000, 12500]),
        ("mariko", [60000, 30000, 15000, 15000, 0, 10000, 15000]),
        ("kunststoffnetzwerk", [0, 0, 0, 0, 0, 0, 0]),
        ("logistikachse-ems", [50000, 25000, 12500, 12500, 0, 10000, 12500]),
        ("automotive", [60000, 30000, 15000, 15000, 0, 10000, 15000]),
        ("tourismus", [25000, 15000, 10000, 10000, 0, 5000, 10000]),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue<bool>("Seed:Demo"))
        {
            return;
        }
        var seeded = await db.WriteAsync(async tx =>
        {
            if (await tx.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM funders") > 0)
            {
                return false;
            }
            foreach (var f in Funders)
            {
                await tx.ExecuteAsync("INSERT INTO funders (id, name, kind, district) VALUES (@Id, @Name, @Kind, @District)", new { f.Id, f.Name, f.Kind, f.District });
            }
            // Networks and sites are the networks service's; this copy is refreshed by its events (same ids, higher versions win).
            foreach (var network in DemoCatalogue.Networks)
            {
                await tx.ExecuteAsync(
                    "INSERT INTO network_catalogue (slug, name, status, version) VALUES (@Slug, @Name, 'active', 0) ON CONFLICT (slug) DO NOTHING",
                    new { network.Slug, network.Name });
            }
            foreach (var site in DemoCatalogue.Sites)
            {
                await tx.ExecuteAsync(
                    "INSERT INTO sites (id, network_slug, name, town, district, status, opened, closed, version) VALUES (@Id, @NetworkSlug, @Name, @Town, @District, 'open', @Opened, NULL, 0) ON CONFLICT (id) DO NOTHING",
                    new { site.Id, site.NetworkSlug, site.Name, site.Town, site.District, site.Opened });
            }
            foreach (var (network, fees) in FeeSchedules)
            {
                for (var i = 0; i < FeesApi.OrganizationKinds.Count; i++)
                {
                    await tx.ExecuteAsync(
                        "INSERT INTO fee_schedules (network_slug, organization_kind, annual_fee_cents, updated_at) VALUES (@network, @kind, @fee, @now)",
                        new { network, kind = FeesApi.OrganizationKinds[i], fee = fees[i], now = tx.Now });
                }
            }
            foreach (var (site, funder, share) in Shares)
            {
                await tx.ExecuteAsync(
                    "INSERT INTO commitments (id, funder_id, site_id, share_basis_points, valid_from, valid_to, status, version) VALUES (@id, @funderId, @siteId, @share, @from, NULL, 'active', 1)",
                    new { id = Guid.NewGuid(), funderId = Funders[funder].Id, siteId = site.Id, share, from = site.Opened });
            }
            foreach (var site in Shares.Select(s => s.Site).Distinct())
            {
                await CoverageStore.AnnounceAsync(tx, site.Id, site.NetworkSlug, clock);
            }
            return true;
        }, cancellationToken);
        if (seeded)
        {
            logger.LogInformation("Seeded {Funders} funders, {Shares} commitments and {Schedules} fee schedules", Funders.Length, Shares.Length, FeeSchedules.Length);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
