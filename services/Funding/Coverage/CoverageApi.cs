using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Reference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmsAchse.Funding.Coverage;

public sealed record CoverageShareView(Guid FunderId, string FunderName, int ShareBasisPoints, Guid CommitmentId);

public sealed record CoverageView(Guid SiteId, DateOnly Date, int TotalBasisPoints, string Status, IReadOnlyList<CoverageShareView> Shares);

/// <summary>A site's coverage on a date: public, like the coverage the network catalogue shows.</summary>
public static class CoverageApi
{
    public static IEndpointRouteBuilder MapCoverageApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/funding/sites/{siteId:guid}/coverage", CoverageAsync).AllowAnonymous().WithTags("Coverage")
            .WithSummary("Read a site's coverage")
            .WithDescription("Public. The funders' shares of the site in basis points on a date (default today, Berlin time), their total and its status.");
        return app;
    }

    private sealed class CoverageRow
    {
        public Guid CommitmentId { get; init; }
        public Guid FunderId { get; init; }
        public string FunderName { get; init; } = "";
        public int ShareBasisPoints { get; init; }
    }

    private static async Task<Results<Ok<CoverageView>, NotFoundProblem>> CoverageAsync(Guid siteId, DateOnly? date, EmsAchse.Platform.Persistence.ServiceDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var day = date ?? BusinessCalendar.Today(clock);
        await using var connection = await db.OpenAsync(ct);
        var known = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, new Dapper.CommandDefinition("SELECT COUNT(*) FROM sites WHERE id = @siteId", new { siteId }, cancellationToken: ct));
        if (known == 0)
        {
            return new NotFoundProblem("Unknown site.", $"There is no site {siteId}.");
        }
        const string sql = """
            SELECT c.id AS CommitmentId, c.funder_id AS FunderId, f.name AS FunderName, c.share_basis_points AS ShareBasisPoints
            FROM commitments c JOIN funders f ON f.id = c.funder_id
            WHERE c.site_id = @siteId AND c.valid_from <= @day AND (c.valid_to IS NULL OR c.valid_to >= @day)
            ORDER BY c.share_basis_points DESC, f.name
            """;
        var shares = (await Dapper.SqlMapper.QueryAsync<CoverageRow>(connection, new Dapper.CommandDefinition(sql, new { siteId, day }, cancellationToken: ct)))
            .Select(r => new CoverageShareView(r.FunderId, r.FunderName, r.ShareBasisPoints, r.CommitmentId)).ToList();
        var total = shares.Sum(s => s.ShareBasisPoints);
        return TypedResults.Ok(new CoverageView(siteId, day, total, SiteCoverage.StatusOf(total), shares));
    }
}
