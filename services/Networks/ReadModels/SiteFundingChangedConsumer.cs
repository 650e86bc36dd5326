using EmsAchse.Contracts.Funding;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Networks.ReadModels;

/// <summary>Keeps each site's funding coverage from the funding service; the newest version wins.</summary>
public sealed class SiteFundingChangedConsumer(Inbox inbox) : IdempotentConsumer<SiteFundingChanged>(inbox)
{
    protected override Task ApplyAsync(SiteFundingChanged message, WriteTransaction tx)
    {
        const string sql = """
            INSERT INTO site_funding (site_id, as_of, coverage_basis_points, status, version)
            VALUES (@SiteId, @AsOf, @CoverageBasisPoints, @Status, @Version)
            ON CONFLICT (site_id) DO UPDATE SET
                as_of = excluded.as_of, coverage_basis_points = excluded.coverage_basis_points,
                status = excluded.status, version = excluded.version
            WHERE site_funding.version < excluded.version
            """;
        return tx.ExecuteAsync(sql, message);
    }
}
