using System.Security.Claims;
using EmsAchse.Funding.Coverage;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Funding.Budgets;

public sealed record BudgetRequest(long? AmountCents);

public sealed record ContributionView(Guid FunderId, string FunderName, long AmountCents);

public sealed record BudgetView(Guid SiteId, int Year, long AmountCents, long CoveredCents, long UncoveredCents, IReadOnlyList<ContributionView> Contributions);

/// <summary>A site's annual budget and what each funder contributes to it (admin or the network's manager).</summary>
public static class BudgetsApi
{
    public const int FirstYear = 2000;
    public const int LastYear = 2100;

    public static IEndpointRouteBuilder MapBudgetsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/funding/sites/{siteId:guid}/budgets").WithTags("Budgets");
        group.MapGet("/{year:int}", GetAsync).RequireAuthorization(Policies.AnyRole);
        group.MapPut("/{year:int}", PutAsync).RequireAuthorization(Policies.Manager);
        return app;
    }

    private sealed class SiteRow
    {
        public string NetworkSlug { get; init; } = "";
    }

    private sealed class FunderName
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
    }

    private static async Task<IResult> GetAsync(Guid siteId, int year, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        if (YearError(year) is { } invalid)
        {
            return invalid;
        }
        await using var connection = await db.OpenAsync(ct);
        var site = await Dapper.SqlMapper.QuerySingleOrDefaultAsync<SiteRow>(connection, new Dapper.CommandDefinition(
            "SELECT network_slug AS NetworkSlug FROM sites WHERE id = @siteId", new { siteId }, cancellationToken: ct));
        if (site is null)
        {
            return UnknownSite(siteId);
        }
        if (user.ForbidReadUnlessReads(site.NetworkSlug) is { } forbidden)
        {
            return forbidden;
        }
        var amount = await Dapper.SqlMapper.QuerySingleOrDefaultAsync<long?>(connection, new Dapper.CommandDefinition(
            "SELECT amount_cents FROM site_budgets WHERE site_id = @siteId AND year = @year", new { siteId, year }, cancellationToken: ct));
        if (amount is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No budget.", detail: $"Site {siteId} has no budget for {year}.");
        }
        var split = BudgetAllocation.Split(amount.Value, year, await CoverageStore.SharesOfSiteAsync(connection, siteId, ct));
        var names = (await Dapper.SqlMapper.QueryAsync<FunderName>(connection, new Dapper.CommandDefinition("SELECT id AS Id, name AS Name FROM funders", cancellationToken: ct))).ToDictionary(f => f.Id, f => f.Name);
        return Results.Ok(ToView(siteId, split, names));
    }

    private static async Task<IResult> PutAsync(Guid siteId, int year, BudgetRequest request, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.AmountCents is not >= 0)
        {
            errors["amountCents"] = ["amountCents (the annual budget in euro cents) is required and must not be negative."];
        }
        if (year is < FirstYear or > LastYear)
        {
            errors["year"] = [$"year must be between {FirstYear} and {LastYear}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The budget is invalid.");
        }
        return await db.WriteAsync<IResult>(async tx =>
        {
            var site = await tx.QuerySingleOrDefaultAsync<SiteRow>("SELECT network_slug AS NetworkSlug FROM sites WHERE id = @siteId", new { siteId });
            if (site is null)
            {
                return UnknownSite(siteId);
            }
            if (user.ForbidUnlessManages(site.NetworkSlug) is { } forbidden)
            {
                return forbidden;
            }
            await tx.ExecuteAsync(
                """
                INSERT INTO site_budgets (site_id, year, amount_cents, updated_at) VALUES (@siteId, @year, @amount, @now)
                ON CONFLICT (site_id, year) DO UPDATE SET amount_cents = excluded.amount_cents, updated_at = excluded.updated_at
                """,
                new { siteId, year, amount = request.AmountCents!.Value, now = tx.Now });
            await tx.RecordChangeAsync("budget.set", "budget", $"{siteId}/{year}", site.NetworkSlug);
            return Results.Ok(await ViewAsync(tx, siteId, year, request.AmountCents.Value));
        }, ct);
    }

    private static async Task<BudgetView> ViewAsync(WriteTransaction tx, Guid siteId, int year, long amountCents)
    {
        var split = BudgetAllocation.Split(amountCents, year, await CoverageStore.SharesOfSiteAsync(tx, siteId));
        var names = (await tx.QueryAsync<FunderName>("SELECT id AS Id, name AS Name FROM funders")).ToDictionary(f => f.Id, f => f.Name);
        return ToView(siteId, split, names);
    }

    public static BudgetView ToView(Guid siteId, BudgetSplit split, IReadOnlyDictionary<Guid, string> funderNames) =>
        new(siteId, split.Year, split.AmountCents, split.CoveredCents, split.UncoveredCents,
            split.Contributions.Select(c => new ContributionView(c.FunderId, funderNames.GetValueOrDefault(c.FunderId, ""), c.AmountCents)).ToList());

    private static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem? YearError(int year) =>
        year is < FirstYear or > LastYear
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["year"] = [$"year must be between {FirstYear} and {LastYear}."] }, title: "The year is invalid.")
            : null;

    private static IResult UnknownSite(Guid siteId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown site.", detail: $"There is no site {siteId} in the network catalogue.");
}
