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

    private const string SharesSql = """
        SELECT id AS Id, funder_id AS FunderId, share_basis_points AS ShareBasisPoints, valid_from AS ValidFrom, valid_to AS ValidTo
        FROM commitments WHERE site_id = @siteId ORDER BY valid_from, id
        """;

    public static async Task<IReadOnlyList<FundingShare>> SharesOfSiteAsync(WriteTransaction tx, Guid siteId) =>
        (await tx.QueryAsync<ShareRow>(SharesSql, new { siteId })).Select(ToShare).ToList();

    public static async Task<IReadOnlyList<FundingShare>> SharesOfSiteAsync(System.Data.Common.DbConnection connection, Guid siteId, CancellationToken ct) =>
        (await Dapper.SqlMapper.QueryAsync<ShareRow>(connection, new Dapper.CommandDefinition(SharesSql, new { siteId }, cancellationToken: ct))).Select(ToShare).ToList();

    private static FundingShare ToShare(ShareRow r) => new(r.Id, r.FunderId, r.ShareBasisPoints, r.ValidFrom, r.ValidTo);

    /// <summary>The outbox aggregate id, so the coverage announcements of one site keep their order.</summary>
    public static string Aggregate(Guid siteId) => $"site-funding/{siteId}";

    /// <summary>Bumps the site's coverage version and publishes today's coverage through the outbox.</summary>
    public static async Task AnnounceAsync(WriteTransaction tx, Guid siteId, string networkSlug, TimeProvider clock)
    {
        var today = BusinessCalendar.Today(clock);
        var total = SiteCoverage.TotalOn(await SharesOfSiteAsync(tx, siteId), today);
        var version = await tx.ExecuteScalarAsync<long>(
            """
            UPDATE sites SET funding_version = funding_version + 1, announced_as_of = @today, announced_basis_points = @total
            WHERE id = @siteId RETURNING funding_version
            """,
            new { siteId, today, total });
        await tx.PublishAsync(Aggregate(siteId), new SiteFundingChanged(siteId, networkSlug, today, total, SiteCoverage.StatusOf(total), version, tx.Now));
    }
}
