using EmsAchse.Contracts.Funding;
using EmsAchse.Funding.Coverage;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmsAchse.Funding.Commitments;

public sealed record CommitRequest(Guid? FunderId, Guid? SiteId, int? ShareBasisPoints, DateOnly? ValidFrom, DateOnly? ValidTo);

public sealed record EndRequest(DateOnly? ValidTo);

public sealed record CommitmentView(
    Guid Id,
    Guid FunderId,
    string FunderName,
    Guid SiteId,
    string? SiteName,
    string? NetworkSlug,
    int ShareBasisPoints,
    DateOnly ValidFrom,
    DateOnly? ValidTo,
    string Status,
    long Version);

/// <summary>Commitments of funders to sites: anyone with a role reads, admins write.</summary>
public static class CommitmentsApi
{
    private static readonly string[] Statuses = ["active", "ended"];

    public static IEndpointRouteBuilder MapCommitmentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/funding/commitments").WithTags("Commitments");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.AnyRole)
            .WithSummary("List commitments")
            .WithDescription("Any signed-in role. Funders' commitments to sites, filtered by site, funder, network and status (active, ended), paged.");
        group.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.AnyRole)
            .WithSummary("Read a commitment")
            .WithDescription("Any signed-in role. One commitment: funder, site, share in basis points and period.");
        group.MapPost("/", CommitAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Commit a funder to a site")
            .WithDescription("Admins only. A share of an open site (1 to 10000 bp) for a period. Unknown site or funder: 422. Refused with 409 when the funder already funds the site then, or the site would exceed 100 % on any day (the detail names the date and the commitments).");
        group.MapPut("/{id:guid}", ChangeAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Change a commitment")
            .WithDescription("Admins only. Replaces share and period under the same rules; funder and site never change (400), an ended commitment is history (409).");
        group.MapPost("/{id:guid}/end", EndAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("End a commitment")
            .WithDescription("Admins only. The last day defaults to today (Berlin time); the day before it starts withdraws it. Ending cannot extend it, nor end it twice (409).");
        return app;
    }

    private static async Task<Results<Ok<PagedList<CommitmentView>>, ValidationProblem>> ListAsync(Guid? siteId, Guid? funderId, string? network, string? status, int? page, int? pageSize, ServiceDatabase db, CancellationToken ct)
    {
        if (!PageRequest.TryCreate(page, pageSize, out var paging, out var errors))
        {
            return PageRequest.Invalid(errors);
        }
        var statusCode = status?.Trim().ToLowerInvariant() ?? "";
        if (statusCode.Length > 0 && !Statuses.Contains(statusCode))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["status must be active or ended."] }, title: "The filter is invalid.");
        }
        const string filter = """
             WHERE (@allSites = 1 OR c.site_id = @siteId) AND (@allFunders = 1 OR c.funder_id = @funderId)
               AND (@network = '' OR s.network_slug = @network) AND (@status = '' OR c.status = @status)
            """;
        var args = new
        {
            allSites = siteId is null ? 1 : 0,
            siteId = siteId ?? Guid.Empty,
            allFunders = funderId is null ? 1 : 0,
            funderId = funderId ?? Guid.Empty,
            network = network?.Trim().ToLowerInvariant() ?? "",
            status = statusCode,
            paging.PageSize,
            paging.Offset,
        };
        await using var connection = await db.OpenAsync(ct);
        var total = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, new Dapper.CommandDefinition(
            "SELECT COUNT(*) FROM commitments c LEFT JOIN sites s ON s.id = c.site_id" + filter, args, cancellationToken: ct));
        var rows = await Dapper.SqlMapper.QueryAsync<CommitmentRow>(connection, new Dapper.CommandDefinition(
            CommitmentStore.SelectSql + filter + " ORDER BY c.valid_from, c.id LIMIT @PageSize OFFSET @Offset", args, cancellationToken: ct));
        return TypedResults.Ok(new PagedList<CommitmentView>(rows.Select(r => r.ToView()).ToList(), paging.Page, paging.PageSize, total));
    }

    private static async Task<Results<Ok<CommitmentView>, NotFoundProblem>> GetAsync(Guid id, ServiceDatabase db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await Dapper.SqlMapper.QuerySingleOrDefaultAsync<CommitmentRow>(connection, new Dapper.CommandDefinition(
            CommitmentStore.SelectSql + " WHERE c.id = @id", new { id }, cancellationToken: ct));
        if (row is null)
        {
            return NotFound(id);
        }
        return TypedResults.Ok(row.ToView());
    }

    private static Dictionary<string, string[]> ValidatePeriodAndShare(CommitRequest request)
    {
        var errors = new Dictionary<string, string[]>();
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
        return errors;
    }

    private static async Task<Results<Created<CommitmentView>, ValidationProblem, UnprocessableProblem, ConflictProblem>> CommitAsync(CommitRequest request, ServiceDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var errors = ValidatePeriodAndShare(request);
        if (request.FunderId is null)
        {
            errors["funderId"] = ["funderId is required."];
        }
        if (request.SiteId is null)
        {
            errors["siteId"] = ["siteId is required."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The commitment is invalid.");
        }

        var candidate = new FundingShare(Guid.NewGuid(), request.FunderId!.Value, request.ShareBasisPoints!.Value, request.ValidFrom!.Value, request.ValidTo);
        var siteId = request.SiteId!.Value;
        return await db.WriteAsync<Results<Created<CommitmentView>, ValidationProblem, UnprocessableProblem, ConflictProblem>>(async tx =>
        {
            var site = await SiteLock.AcquireAsync(tx, siteId);
            if (site is null)
            {
                return UnknownSite(siteId);
            }
            if (site.Status != "open")
            {
                return SiteClosed(site);
            }
            var funderName = await tx.QuerySingleOrDefaultAsync<string>("SELECT name FROM funders WHERE id = @funderId", new { funderId = candidate.FunderId });
            if (funderName is null)
            {
                return new UnprocessableProblem("Unknown funder.", $"There is no funder {candidate.FunderId}.");
            }
            if (await RefuseUnlessFitsAsync(tx, site, funderName, candidate) is { } refused)
            {
                return refused;
            }
            await tx.ExecuteAsync(
                "INSERT INTO commitments (id, funder_id, site_id, share_basis_points, valid_from, valid_to, status, version) VALUES (@CommitmentId, @FunderId, @siteId, @ShareBasisPoints, @ValidFrom, @ValidTo, 'active', 1)",
                new { candidate.CommitmentId, candidate.FunderId, siteId, candidate.ShareBasisPoints, candidate.ValidFrom, candidate.ValidTo });
            await tx.PublishAsync(CommitmentStore.Aggregate(candidate.CommitmentId), new FundingCommitted(candidate.CommitmentId, candidate.FunderId, funderName, siteId, candidate.ShareBasisPoints, candidate.ValidFrom, candidate.ValidTo, 1, tx.Now));
            await CoverageStore.AnnounceAsync(tx, siteId, site.NetworkSlug, clock);
            var created = await CommitmentStore.FindAsync(tx, candidate.CommitmentId);
            return TypedResults.Created($"/api/funding/commitments/{candidate.CommitmentId}", created!.ToView());
        }, ct);
    }

    private static async Task<Results<Ok<CommitmentView>, ValidationProblem, NotFoundProblem, UnprocessableProblem, ConflictProblem>> ChangeAsync(Guid id, CommitRequest request, ServiceDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var errors = ValidatePeriodAndShare(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The commitment is invalid.");
        }
        return await db.WriteAsync<Results<Ok<CommitmentView>, ValidationProblem, NotFoundProblem, UnprocessableProblem, ConflictProblem>>(async tx =>
        {
            var siteId = await tx.QuerySingleOrDefaultAsync<Guid?>("SELECT site_id FROM commitments WHERE id = @id", new { id });
            if (siteId is null)
            {
                return NotFound(id);
            }
            // Lock the site first, then read the commitment as it is now.
            var site = await SiteLock.AcquireAsync(tx, siteId.Value);
            var current = (await CommitmentStore.FindAsync(tx, id))!;
            var immutable = new Dictionary<string, string[]>();
            if (request.FunderId is { } funderId && funderId != current.FunderId)
            {
                immutable["funderId"] = ["The funder of a commitment cannot change; end it and commit anew."];
            }
            if (request.SiteId is { } requestedSite && requestedSite != current.SiteId)
            {
                immutable["siteId"] = ["The site of a commitment cannot change; end it and commit anew."];
            }
            if (immutable.Count > 0)
            {
                return TypedResults.ValidationProblem(immutable, title: "The commitment is invalid.");
            }
            if (current.Status == "ended")
            {
                return new ConflictProblem("The commitment has ended.", $"Commitment {id} ended on {current.ValidTo:yyyy-MM-dd}; it is history and cannot change. Commit anew instead.");
            }
            if (site is null || site.Status != "open")
            {
                if (site is null)
                {
                    return UnknownSite(siteId.Value);
                }
                return SiteClosed(site);
            }
            var candidate = new FundingShare(id, current.FunderId, request.ShareBasisPoints!.Value, request.ValidFrom!.Value, request.ValidTo);
            if (await RefuseUnlessFitsAsync(tx, site, current.FunderName, candidate) is { } refused)
            {
                return refused;
            }
            var version = current.Version + 1;
            await tx.ExecuteAsync(
                "UPDATE commitments SET share_basis_points = @ShareBasisPoints, valid_from = @ValidFrom, valid_to = @ValidTo, version = @version WHERE id = @id",
                new { candidate.ShareBasisPoints, candidate.ValidFrom, candidate.ValidTo, version, id });
            await tx.PublishAsync(CommitmentStore.Aggregate(id), new FundingCommitted(id, current.FunderId, current.FunderName, current.SiteId, candidate.ShareBasisPoints, candidate.ValidFrom, candidate.ValidTo, version, tx.Now));
            await CoverageStore.AnnounceAsync(tx, current.SiteId, site.NetworkSlug, clock);
            return TypedResults.Ok((await CommitmentStore.FindAsync(tx, id))!.ToView());
        }, ct);
    }

    private static async Task<Results<Ok<CommitmentView>, ValidationProblem, NotFoundProblem, ConflictProblem>> EndAsync(Guid id, EndRequest? request, ServiceDatabase db, TimeProvider clock, CancellationToken ct) =>
        await db.WriteAsync<Results<Ok<CommitmentView>, ValidationProblem, NotFoundProblem, ConflictProblem>>(async tx =>
        {
            var siteId = await tx.QuerySingleOrDefaultAsync<Guid?>("SELECT site_id FROM commitments WHERE id = @id", new { id });
            if (siteId is null)
            {
                return NotFound(id);
            }
            var site = await SiteLock.AcquireAsync(tx, siteId.Value);
            var current = (await CommitmentStore.FindAsync(tx, id))!;
            var lastDay = request?.ValidTo ?? BusinessCalendar.Today(clock);
            if (lastDay < current.ValidFrom.AddDays(-1))
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["validTo"] = [$"validTo must be on or after {current.ValidFrom.AddDays(-1):yyyy-MM-dd} (the day before the commitment starts, which withdraws it)."] },
                    title: "The end date is invalid.");
            }
            if (current.Status == "ended")
            {
                return new ConflictProblem("The commitment has already ended.", $"Commitment {id} ended on {current.ValidTo:yyyy-MM-dd}.");
            }
            if (current.ValidTo is { } validTo && lastDay > validTo)
            {
                return new ConflictProblem("Ending cannot extend a commitment.", $"Commitment {id} already runs only until {validTo:yyyy-MM-dd}; change it to extend it.");
            }
            var ended = await CommitmentStore.EndAsync(tx, current, lastDay);
            await CoverageStore.AnnounceAsync(tx, current.SiteId, site?.NetworkSlug ?? current.NetworkSlug ?? "", clock);
            return TypedResults.Ok(ended.ToView());
        }, ct);

    /// <summary>The same funder may not overlap itself, and the site may not exceed 100 % on any day.</summary>
    private static async Task<ConflictProblem?> RefuseUnlessFitsAsync(WriteTransaction tx, SiteLock.Site site, string funderName, FundingShare candidate)
    {
        var existing = await CoverageStore.SharesOfSiteAsync(tx, site.Id);
        if (SiteCoverage.FindOverlapOfSameFunder(existing, candidate) is { } overlap)
        {
            return new ConflictProblem(
                "The funder already funds this site then.",
                $"{funderName} holds commitment {overlap.CommitmentId} for site {site.Name} from {overlap.ValidFrom:yyyy-MM-dd}{(overlap.ValidTo is { } to ? $" to {to:yyyy-MM-dd}" : "")}, which overlaps.",
                new Dictionary<string, object?> { ["commitments"] = new[] { overlap.CommitmentId } });
        }
        if (SiteCoverage.FindOverCommitment(existing, candidate) is { } over)
        {
            return new ConflictProblem(
                "The site would be funded over 100 %.",
                $"Site {site.Name} would reach {over.TotalBasisPoints} bp on {over.Date:yyyy-MM-dd} (it has {over.CurrentBasisPoints} bp then): commitments {string.Join(", ", over.Commitments)}.",
                new Dictionary<string, object?>
                {
                    ["date"] = over.Date,
                    ["currentBasisPoints"] = over.CurrentBasisPoints,
                    ["totalBasisPoints"] = over.TotalBasisPoints,
                    ["commitments"] = over.Commitments,
                });
        }
        return null;
    }

    private static ConflictProblem SiteClosed(SiteLock.Site site) =>
        new("The site is closed.", $"Site {site.Name} is closed{(site.Closed is { } c ? $" since {c:yyyy-MM-dd}" : "")} and takes no commitments.");

    private static UnprocessableProblem UnknownSite(Guid siteId) => new("Unknown site.", $"There is no site {siteId} in the network catalogue.");

    private static NotFoundProblem NotFound(Guid id) => new("Unknown commitment.", $"There is no commitment {id}.");
}

/// <summary>
/// Serialises competing writers of one site's commitments: a row lock on PostgreSQL; on SQLite every
/// write transaction is BEGIN IMMEDIATE, which already holds the database's write lock.
/// </summary>
public static class SiteLock
{
    public sealed class Site
    {
        public Guid Id { get; init; }
        public string NetworkSlug { get; init; } = "";
        public string Status { get; init; } = "";
        public string Name { get; init; } = "";
        public DateOnly? Closed { get; init; }
    }

    public static Task<Site?> AcquireAsync(WriteTransaction tx, Guid siteId) =>
        tx.QuerySingleOrDefaultAsync<Site>(
            "SELECT id AS Id, network_slug AS NetworkSlug, status AS Status, name AS Name, closed AS Closed FROM sites WHERE id = @siteId" + tx.ForUpdate,
            new { siteId });
}
