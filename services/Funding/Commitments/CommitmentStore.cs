using EmsAchse.Contracts.Funding;
using EmsAchse.Funding.Coverage;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Funding.Commitments;

/// <summary>A commitment as stored, with its funder's and site's names.</summary>
public sealed class CommitmentRow
{
    public Guid Id { get; init; }
    public Guid FunderId { get; init; }
    public string FunderName { get; init; } = "";
    public Guid SiteId { get; init; }
    public string? SiteName { get; init; }
    public string? NetworkSlug { get; init; }
    public int ShareBasisPoints { get; init; }
    public DateOnly ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public string Status { get; init; } = "";
    public long Version { get; init; }

    public CommitmentView ToView() => new(Id, FunderId, FunderName, SiteId, SiteName, NetworkSlug, ShareBasisPoints, ValidFrom, ValidTo, Status, Version);
}

/// <summary>Commitment storage shared by the API and the site read model (a closed site ends its commitments).</summary>
public static class CommitmentStore
{
    public const string SelectSql = """
        SELECT c.id AS Id, c.funder_id AS FunderId, f.name AS FunderName, c.site_id AS SiteId, s.name AS SiteName,
               s.network_slug AS NetworkSlug, c.share_basis_points AS ShareBasisPoints, c.valid_from AS ValidFrom,
               c.valid_to AS ValidTo, c.status AS Status, c.version AS Version
        FROM commitments c JOIN funders f ON f.id = c.funder_id LEFT JOIN sites s ON s.id = c.site_id
        """;

    public static Task<CommitmentRow?> FindAsync(WriteTransaction tx, Guid id) =>
        tx.QuerySingleOrDefaultAsync<CommitmentRow>(SelectSql + " WHERE c.id = @id", new { id });

    /// <summary>
    /// Ends a commitment on <paramref name="lastDay"/> (inclusive) and publishes FundingCommitmentEnded.
    /// The caller announces the site's new coverage.
    /// </summary>
    public static async Task<CommitmentRow> EndAsync(WriteTransaction tx, CommitmentRow commitment, DateOnly lastDay)
    {
        var version = commitment.Version + 1;
        await tx.ExecuteAsync(
            "UPDATE commitments SET valid_to = @lastDay, status = 'ended', version = @version WHERE id = @Id",
            new { lastDay, version, commitment.Id });
        await tx.PublishAsync(
            Aggregate(commitment.Id),
            new FundingCommitmentEnded(commitment.Id, commitment.FunderId, commitment.SiteId, commitment.ShareBasisPoints, commitment.ValidFrom, lastDay, version, tx.Now));
        return (await FindAsync(tx, commitment.Id))!;
    }

    /// <summary>
    /// Ends every commitment of a closed site that runs past its closing day; one starting later is
    /// ended the day before it began (it never counted). Announces the coverage when anything changed.
    /// </summary>
    public static async Task<int> EndAtSiteClosingAsync(WriteTransaction tx, Guid siteId, string networkSlug, DateOnly closed, TimeProvider clock)
    {
        var running = await tx.QueryAsync<CommitmentRow>(
            SelectSql + " WHERE c.site_id = @siteId AND (c.valid_to IS NULL OR c.valid_to > @closed) ORDER BY c.valid_from, c.id",
            new { siteId, closed });
        var count = 0;
        foreach (var commitment in running)
        {
            var lastDay = commitment.ValidFrom > closed ? commitment.ValidFrom.AddDays(-1) : closed;
            await EndAsync(tx, commitment, lastDay);
            count++;
        }
        if (count > 0)
        {
            await CoverageStore.AnnounceAsync(tx, siteId, networkSlug, clock);
        }
        return count;
    }

    public static string Aggregate(Guid commitmentId) => $"commitment/{commitmentId}";
}
