using System.ComponentModel.DataAnnotations;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using Microsoft.Extensions.Options;

namespace EmsAchse.Members.Seed;

/// <summary>Seed:* settings: the demo organisations on first start, and optionally many more for benchmarks.</summary>
public sealed class SeedOptions
{
    public const string Section = "Seed";

    /// <summary>Seed the demo organisations and their memberships on first start (empty database).</summary>
    public bool Demo { get; set; }

    /// <summary>The generator's seed number: the same number gives the same organisations.</summary>
    public int GeneratorSeed { get; set; } = 2006;

    [Range(0, 5000)]
    public int DemoOrganizations { get; set; } = 350;

    /// <summary>Organisations loaded in bulk (no contacts, no events) after the demo ones, for benchmarks.</summary>
    [Range(0, 2_000_000)]
    public int BenchmarkOrganizations { get; set; }
}

/// <summary>
/// On first start with Seed:Demo=true, loads a few hundred generated organisations of the region with
/// their memberships and announces each membership (MembershipActivated) through the outbox.
/// </summary>
internal sealed class DemoSeeder(ServiceDatabase db, IOptions<SeedOptions> options, TimeProvider clock, ILogger<DemoSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var seed = options.Value;
        if (!seed.Demo)
        {
            return;
        }
        var since = new DateOnly(BusinessCalendar.Today(clock).Year, 1, 1);
        var generator = new OrganizationGenerator(seed.GeneratorSeed);
        var all = generator.Generate(seed.DemoOrganizations + seed.BenchmarkOrganizations);
        var seeded = await db.WriteAsync(async tx =>
        {
            if (await tx.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM organizations") > 0)
            {
                return -1;
            }
            return await OrganizationLoader.LoadWithEventsAsync(tx, all.Take(seed.DemoOrganizations), since);
        }, cancellationToken);
        if (seeded < 0)
        {
            return;
        }
        logger.LogInformation("Seeded {Count} demo organisations (generator seed {Seed})", seeded, seed.GeneratorSeed);
        if (seed.BenchmarkOrganizations > 0)
        {
            var bulk = await OrganizationLoader.LoadBulkAsync(db, new OrganizationGenerator(seed.GeneratorSeed).Generate(seed.DemoOrganizations + seed.BenchmarkOrganizations).Skip(seed.DemoOrganizations), since, cancellationToken);
            logger.LogInformation("Loaded {Count} benchmark organisations", bulk);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
