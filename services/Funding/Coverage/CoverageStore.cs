using EmsAchse.Contracts.Funding;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;

namespace EmsAchse.Funding.Coverage;

/// <summary>Reads a site's shares and announces its coverage after a change.</summary>
public static class CoverageStore
{
    private sealed class ShareRow
    {
        public Guid Id { get; init; }
        public Guid FunderId { get; init; }
        public int ShareBasisPoints { get; init; }
        public DateOnly ValidFrom { get; init; }
        public DateOnly? ValidTo { get; init; }
    }

    public static async Task<IReadOnlyList<FundingShare>> SharesOfSiteAsync(WriteTransaction tx, Guid siteId)
    {
        const string sql = """
            SELECT id AS Id, funder_id AS FunderId, share_basis_points AS ShareBasisPoints, valid_from AS ValidFrom, valid_to AS ValidTo
            FROM commitments WHERE site_id = @siteId
            """;
        return (await tx.QueryAsync<ShareRow>(sql, new { siteId }))
            .Select(r => new FundingShare(r.Id, r.FunderId, r.ShareBasisPoints, r.ValidFrom, r.ValidTo))
            .ToList();
    }

    /// <summary>Bumps the site's coverage version and publishes today's coverage through the outbox.</summary>
    public static async Task AnnounceAsync(WriteTransaction tx, Guid siteId, string networkSlug, TimeProvider clock)
    {
        var version = await tx.ExecuteScalarAsync<long>(
            "UPDATE sites SET funding_version = funding_version + 1 WHERE id = @siteId RETURNING funding_version", new { siteId });
        var today = BusinessCalendar.Today(clock);
        var total = SiteCoverage.TotalOn(await SharesOfSiteAsync(tx, siteId), today);
        await tx.PublishAsync($"site-funding/{siteId}", new SiteFundingChanged(siteId, networkSlug, today, total, SiteCoverage.StatusOf(total), version, tx.Now));
    }
}
