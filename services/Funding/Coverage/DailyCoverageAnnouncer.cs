using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;

namespace EmsAchse.Funding.Coverage;

/// <summary>
/// Today's coverage also changes without a write, when a commitment starts or ends at midnight. At
/// start and every quarter hour, sites whose coverage today differs from the last announced one are
/// announced again, so the networks service's figure follows the calendar.
/// </summary>
internal sealed class DailyCoverageAnnouncer(ServiceDatabase db, TimeProvider clock, ILogger<DailyCoverageAnnouncer> logger) : BackgroundService
{
    private sealed class SiteRow
    {
        public Guid Id { get; init; }
        public string NetworkSlug { get; init; } = "";
        public DateOnly? AnnouncedAsOf { get; init; }
        public int? AnnouncedBasisPoints { get; init; }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(15), clock);
        do
        {
            try
            {
                var announced = await AnnounceChangedAsync(stoppingToken);
                if (announced > 0)
                {
                    logger.LogInformation("Announced the changed coverage of {Sites} sites for today", announced);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Announcing today's coverage failed; retrying at the next tick");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal Task<int> AnnounceChangedAsync(CancellationToken ct) =>
        db.WriteAsync(async tx =>
        {
            var today = BusinessCalendar.Today(clock);
            var stale = await tx.QueryAsync<SiteRow>(
                "SELECT id AS Id, network_slug AS NetworkSlug, announced_as_of AS AnnouncedAsOf, announced_basis_points AS AnnouncedBasisPoints FROM sites WHERE announced_as_of IS NOT NULL AND announced_as_of < @today",
                new { today });
            var count = 0;
            foreach (var site in stale)
            {
                var total = SiteCoverage.TotalOn(await CoverageStore.SharesOfSiteAsync(tx, site.Id), today);
                if (total != site.AnnouncedBasisPoints)
                {
                    await CoverageStore.AnnounceAsync(tx, site.Id, site.NetworkSlug, clock);
                    count++;
                }
                else
                {
                    await tx.ExecuteAsync("UPDATE sites SET announced_as_of = @today WHERE id = @Id", new { today, site.Id });
                }
            }
            return count;
        }, ct);
}
