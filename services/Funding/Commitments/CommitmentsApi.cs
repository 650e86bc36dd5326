using EmsAchse.Contracts.Funding;
using EmsAchse.Funding.Coverage;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;

namespace EmsAchse.Funding.Commitments;

public sealed record CommitRequest(Guid? FunderId, Guid? SiteId, int? ShareBasisPoints, DateOnly? ValidFrom, DateOnly? ValidTo);

public sealed record CommitmentView(Guid Id, Guid FunderId, Guid SiteId, int ShareBasisPoints, DateOnly ValidFrom, DateOnly? ValidTo, string Status);

public sealed record CoverageShareView(Guid FunderId, string FunderName, int ShareBasisPoints);

public sealed record CoverageView(Guid SiteId, DateOnly Date, int TotalBasisPoints, string Status, IReadOnlyList<CoverageShareView> Shares);

public static class CommitmentsApi
{
    public static IEndpointRouteBuilder MapCommitmentsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/funding/commitments", CommitAsync).RequireAuthorization(Policies.Admin).WithTags("Commitments");
        app.MapGet("/api/funding/sites/{siteId:guid}/coverage", CoverageAsync).AllowAnonymous().WithTags("Coverage");
        return app;
    }

    private sealed class SiteRow
    {
        public string NetworkSlug { get; init; } = "";
        public string Status { get; init; } = "";
        public string Name { get; init; } = "";
    }

    private static async Task<IResult> CommitAsync(CommitRequest request, ServiceDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.FunderId is null)
        {
            errors["funderId"] = ["funderId is required."];
        }
        if (request.SiteId is null)
        {
            errors["siteId"] = ["siteId is required."];
        }
        if (request.ShareBasisPoints is not (>= 1 and <= SiteCoverage.Full))
        {
            errors["shareBasisPoints"] = ["shareBasisPoints must be between 1 and 10000 (10000 = 100 %)."];
        }
        if (request.ValidFrom is null)
        {
            errors["validFrom"] = ["validFrom is required."];
        }
        if (request.ValidTo is { } to && request.ValidFrom is { } from && to < from)
        {
            errors["validTo"] = ["validTo must not be before validFrom."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The commitment is invalid.");
        }

        var candidate = new FundingShare(Guid.NewGuid(), request.FunderId!.Value, request.ShareBasisPoints!.Value, request.ValidFrom!.Value, request.ValidTo);
        var siteId = request.SiteId!.Value;
        return await db.WriteAsync<IResult>(async tx =>
        {
            // Lock the site so that concurrent commitments to it are checked one after the other.
            var site = await tx.QuerySingleOrDefaultAsync<SiteRow>(
                "SELECT network_slug AS NetworkSlug, status AS Status, name AS Name FROM sites WHERE id = @siteId" + (tx.Engine == DatabaseEngine.Postgres ? " FOR UPDATE" : ""),
                new { siteId });
            if (site is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Unknown site.", detail: $"There is no site {siteId} in the network catalogue.");
            }
            if (site.Status != "open")
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The site is closed.", detail: $"Site {site.Name} is closed and takes no commitments.");
            }
            var funderName = await tx.QuerySingleOrDefaultAsync<string>("SELECT name FROM funders WHERE id = @funderId", new { funderId = candidate.FunderId });
            if (funderName is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Unknown funder.", detail: $"There is no funder {candidate.FunderId}.");
            }
            var existing = await CoverageStore.SharesOfSiteAsync(tx, siteId);
            if (SiteCoverage.FindOverlapOfSameFunder(existing, candidate) is { } overlap)
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The funder already funds this site then.", detail: $"{funderName} holds commitment {overlap.CommitmentId} for site {site.Name} from {overlap.ValidFrom:yyyy-MM-dd} that overlaps.");
            }
            if (SiteCoverage.FindOverCommitment(existing, candidate) is { } over)
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "The site would be funded over 100 %.",
                    detail: $"Site {site.Name} would reach {over.TotalBasisPoints} bp on {over.Date:yyyy-MM-dd}: commitments {string.Join(", ", over.Commitments)}.",
                    extensions: new Dictionary<string, object?> { ["date"] = over.Date, ["totalBasisPoints"] = over.TotalBasisPoints, ["commitments"] = over.Commitments });
            }
            await tx.ExecuteAsync(
                "INSERT INTO commitments (id, funder_id, site_id, share_basis_points, valid_from, valid_to, version) VALUES (@CommitmentId, @FunderId, @siteId, @ShareBasisPoints, @ValidFrom, @ValidTo, 1)",
                new { candidate.CommitmentId, candidate.FunderId, siteId, candidate.ShareBasisPoints, candidate.ValidFrom, candidate.ValidTo });
            await tx.PublishAsync($"commitment/{candidate.CommitmentId}", new FundingCommitted(candidate.CommitmentId, candidate.FunderId, funderName, siteId, candidate.ShareBasisPoints, candidate.ValidFrom, candidate.ValidTo, 1, tx.Now));
            await CoverageStore.AnnounceAsync(tx, siteId, site.NetworkSlug, clock);
            return Results.Created($"/api/funding/commitments/{candidate.CommitmentId}", new CommitmentView(candidate.CommitmentId, candidate.FunderId, siteId, candidate.ShareBasisPoints, candidate.ValidFrom, candidate.ValidTo, "active"));
        }, ct);
    }

    private sealed class CoverageRow
    {
        public Guid FunderId { get; init; }
        public string FunderName { get; init; } = "";
        public int ShareBasisPoints { get; init; }
    }

    private static async Task<IResult> CoverageAsync(Guid siteId, DateOnly? date, ServiceDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var day = date ?? BusinessCalendar.Today(clock);
        await using var connection = await db.OpenAsync(ct);
        var known = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, new Dapper.CommandDefinition("SELECT COUNT(*) FROM sites WHERE id = @siteId", new { siteId }, cancellationToken: ct));
        if (known == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown site.", detail: $"There is no site {siteId}.");
        }
        const string sql = """
            SELECT c.funder_id AS FunderId, f.name AS FunderName, c.share_basis_points AS ShareBasisPoints
            FROM commitments c JOIN funders f ON f.id = c.funder_id
            WHERE c.site_id = @siteId AND c.valid_from <= @day AND (c.valid_to IS NULL OR c.valid_to >= @day)
            ORDER BY f.name
            """;
        var shares = (await Dapper.SqlMapper.QueryAsync<CoverageRow>(connection, new Dapper.CommandDefinition(sql, new { siteId, day }, cancellationToken: ct)))
            .Select(r => new CoverageShareView(r.FunderId, r.FunderName, r.ShareBasisPoints)).ToList();
        var total = shares.Sum(s => s.ShareBasisPoints);
        return Results.Ok(new CoverageView(siteId, day, total, SiteCoverage.StatusOf(total), shares));
    }
}
