using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Dapper;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using Microsoft.Extensions.Options;

namespace EmsAchse.Members.Seed;

/// <summary>Seed:* settings: the demo organisations on first start (a few hundred, or many for benchmarks).</summary>
public sealed class SeedOptions
{
    public const string Section = "Seed";

    /// <summary>Seed the demo organisations and their memberships on first start (empty database).</summary>
    public bool Demo { get; set; }

    /// <summary>The generator's seed number: the same number gives the same organisations.</summary>
    public int GeneratorSeed { get; set; } = 2006;

    /// <summary>How many organisations the demo seed generates (deploy/run.sh: EMSACHSE_DEMO_ORGANIZATIONS); 100,000 for benchmarks.</summary>
    [Range(0, 2_000_000)]
    public int DemoOrganizations { get; set; } = 350;

    /// <summary>Organisations per write transaction of the seed.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 2000;
}

/// <summary>
/// On first start with Seed:Demo=true (an empty database), loads Seed:DemoOrganizations generated
/// organisations of the region with their contacts and memberships, in batches, and announces each
/// membership (MembershipActivated) through the outbox.
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
        var watch = Stopwatch.StartNew();
        var seeded = 0;
        foreach (var batch in new OrganizationGenerator(seed.GeneratorSeed).Generate(seed.DemoOrganizations).Chunk(seed.BatchSize))
        {
            var first = seeded == 0;
            var loaded = await db.WriteAsync(async tx =>
            {
                // Only an empty database is seeded; the first batch decides, in its own transaction.
                if (first && await tx.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM organizations") > 0)
                {
                    return -1;
                }
                return await OrganizationLoader.LoadBatchAsync(tx, batch, since);
            }, cancellationToken);
            if (loaded < 0)
            {
                return;
            }
            seeded += loaded;
            if (seed.DemoOrganizations > seed.BatchSize)
            {
                logger.LogInformation("Demo seed: {Seeded} of {Total} organisations ({Rate:F0} per second)", seeded, seed.DemoOrganizations, seeded / watch.Elapsed.TotalSeconds);
            }
        }
        // The planner's statistics for what was just loaded in bulk (the directory's plans depend on them); on
        // PostgreSQL also the visibility map, so that counting the directory is an index-only scan from the start
        // rather than after autovacuum's next visit.
        await using (var connection = await db.OpenAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(db.Engine == DatabaseEngine.Postgres ? "VACUUM (ANALYZE) organizations, organization_industries, memberships, organization_directory" : "ANALYZE main", cancellationToken: cancellationToken));
        }
        logger.LogInformation("Seeded {Count} demo organisations (generator seed {Seed}) in {Seconds:F1} s", seeded, seed.GeneratorSeed, watch.Elapsed.TotalSeconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
