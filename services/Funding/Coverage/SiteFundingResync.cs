using EmsAchse.Contracts.Funding;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Funding.Coverage;

/// <summary>
/// Answers a re-sync request by publishing every site's last announced coverage again (SiteFundingChanged
/// at its current version), so a consumer that started late or restored its database converges. The
/// figure is the announced one, not recomputed: the version stays, and the day's change is the
/// <see cref="DailyCoverageAnnouncer"/>'s to announce under a new version.
/// </summary>
public sealed class SiteFundingResyncRequestedConsumer(Inbox inbox) : IdempotentConsumer<SiteFundingResyncRequested>(inbox)
{
    // Re-announces the current state: no change, so no change record.
    protected override bool RecordsChanges => false;

    private sealed class AnnouncedRow
    {
        public Guid Id { get; init; }
        public string NetworkSlug { get; init; } = "";
        public DateOnly AnnouncedAsOf { get; init; }
        public int AnnouncedBasisPoints { get; init; }
        public long FundingVersion { get; init; }
    }

    protected override async Task ApplyAsync(SiteFundingResyncRequested message, WriteTransaction tx)
    {
        const string sql = """
            SELECT id AS Id, network_slug AS NetworkSlug, announced_as_of AS AnnouncedAsOf,
                   announced_basis_points AS AnnouncedBasisPoints, funding_version AS FundingVersion
            FROM sites
            WHERE funding_version > 0 AND announced_as_of IS NOT NULL AND announced_basis_points IS NOT NULL
            ORDER BY id
            """;
        foreach (var s in await tx.QueryAsync<AnnouncedRow>(sql))
        {
            await tx.PublishAsync(CoverageStore.Aggregate(s.Id), new SiteFundingChanged(
                s.Id, s.NetworkSlug, s.AnnouncedAsOf, s.AnnouncedBasisPoints, SiteCoverage.StatusOf(s.AnnouncedBasisPoints), s.FundingVersion, tx.Now));
        }
    }
}
