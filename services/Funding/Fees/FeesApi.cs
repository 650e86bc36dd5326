using System.Security.Claims;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmsAchse.Funding.Fees;

/// <summary>PUT body: the annual fee in cents per organisation kind; kinds left out pay nothing.</summary>
public sealed record FeeScheduleRequest(Dictionary<string, long?>? AnnualFeeCents);

public sealed record FeeScheduleView(string Network, bool Configured, IReadOnlyDictionary<string, long> AnnualFeeCents);

public sealed record FeeClaimView(Guid Id, Guid MembershipId, Guid OrganizationId, string OrganizationName, string OrganizationKind, string Network, int Year, DateOnly PeriodFrom, DateOnly PeriodTo, long AnnualFeeCents, long AmountCents);

/// <summary>Membership fee schedules and the claims they yield (admin or the network's manager).</summary>
public static class FeesApi
{
    public static readonly IReadOnlyList<string> OrganizationKinds = ["company", "municipality", "education", "research", "chamber", "association", "institution"];

    public static IEndpointRouteBuilder MapFeesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/funding/networks/{slug}").WithTags("Membership fees");
        group.MapGet("/fees", GetAsync).RequireAuthorization(Policies.AnyRole)
            .WithSummary("Read a network's fee schedule")
            .WithDescription("An admin, an integrator or a manager of the network. The annual membership fee in cents per organisation kind; `configured` is false while none was set.");
        group.MapPut("/fees", PutAsync).RequireAuthorization(Policies.Manager)
            .WithSummary("Set a network's fee schedule")
            .WithDescription("An admin or a manager of the network. Kinds left out pay nothing; active members without a claim for this year get one under the new schedule.");
        group.MapGet("/fee-claims", ClaimsAsync).RequireAuthorization(Policies.Manager)
            .WithSummary("List a network's fee claims")
            .WithDescription("An admin or a manager of the network. The claims of a year (default this year), pro rata for the months of membership, paged.");
        return app;
    }

    private sealed class FeeRow
    {
        public string OrganizationKind { get; init; } = "";
        public long AnnualFeeCents { get; init; }
    }

    private static async Task<Results<Ok<FeeScheduleView>, NotFoundProblem, ForbiddenProblem>> GetAsync(string slug, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        var network = slug.Trim().ToLowerInvariant();
        if (user.ForbidReadUnlessReads(network) is { } forbidden)
        {
            return forbidden;
        }
        await using var connection = await db.OpenAsync(ct);
        if (await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, new Dapper.CommandDefinition("SELECT COUNT(*) FROM network_catalogue WHERE slug = @network", new { network }, cancellationToken: ct)) == 0)
        {
            return UnknownNetwork(network);
        }
        var rows = await Dapper.SqlMapper.QueryAsync<FeeRow>(connection, new Dapper.CommandDefinition(
            "SELECT organization_kind AS OrganizationKind, annual_fee_cents AS AnnualFeeCents FROM fee_schedules WHERE network_slug = @network", new { network }, cancellationToken: ct));
        return TypedResults.Ok(View(network, rows.ToList()));
    }

    private static async Task<Results<Ok<FeeScheduleView>, ValidationProblem, NotFoundProblem, ForbiddenProblem>> PutAsync(string slug, FeeScheduleRequest request, ClaimsPrincipal user, ServiceDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var network = slug.Trim().ToLowerInvariant();
        if (user.ForbidUnlessManages(network) is { } forbidden)
        {
            return forbidden;
        }
        var errors = new Dictionary<string, string[]>();
        var fees = OrganizationKinds.ToDictionary(k => k, _ => 0L);
        if (request.AnnualFeeCents is null)
        {
            errors["annualFeeCents"] = [$"annualFeeCents (fee in cents per organisation kind: {string.Join(", ", OrganizationKinds)}) is required."];
        }
        foreach (var (kind, fee) in request.AnnualFeeCents ?? [])
        {
            var code = OrganizationKinds.FirstOrDefault(k => string.Equals(k, kind.Trim(), StringComparison.OrdinalIgnoreCase));
            if (code is null)
            {
                errors[$"annualFeeCents.{kind}"] = [$"'{kind}' is not an organisation kind ({string.Join(", ", OrganizationKinds)})."];
            }
            else if (fee is not >= 0)
            {
                errors[$"annualFeeCents.{kind}"] = ["A fee must be given in cents and must not be negative (0 for no fee)."];
            }
            else
            {
                fees[code] = fee.Value;
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The fee schedule is invalid.");
        }
        return await db.WriteAsync<Results<Ok<FeeScheduleView>, ValidationProblem, NotFoundProblem, ForbiddenProblem>>(async tx =>
        {
            if (await tx.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM network_catalogue WHERE slug = @network", new { network }) == 0)
            {
                return UnknownNetwork(network);
            }
            foreach (var (kind, fee) in fees)
            {
                await tx.ExecuteAsync(
                    """
                    INSERT INTO fee_schedules (network_slug, organization_kind, annual_fee_cents, updated_at) VALUES (@network, @kind, @fee, @now)
                    ON CONFLICT (network_slug, organization_kind) DO UPDATE SET annual_fee_cents = excluded.annual_fee_cents, updated_at = excluded.updated_at
                    """,
                    new { network, kind, fee, now = tx.Now });
            }
            await tx.RecordChangeAsync("fee-schedule.set", "fee-schedule", network, network);
            // Members already active owe this year's fee under the new schedule if they have no claim yet.
            await FeeClaims.IssueMissingAsync(tx, BusinessCalendar.Today(clock).Year, network);
            return TypedResults.Ok(new FeeScheduleView(network, true, fees));
        }, ct);
    }

    private static async Task<Results<Ok<PagedList<FeeClaimView>>, ValidationProblem, NotFoundProblem, ForbiddenProblem>> ClaimsAsync(string slug, int? year, int? page, int? pageSize, ClaimsPrincipal user, ServiceDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var network = slug.Trim().ToLowerInvariant();
        if (user.ForbidUnlessManages(network) is { } forbidden)
        {
            return forbidden;
        }
        if (!PageRequest.TryCreate(page, pageSize, out var paging, out var errors))
        {
            return PageRequest.Invalid(errors);
        }
        var args = new { network, year = year ?? BusinessCalendar.Today(clock).Year, paging.PageSize, paging.Offset };
        await using var connection = await db.OpenAsync(ct);
        if (await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, new Dapper.CommandDefinition("SELECT COUNT(*) FROM network_catalogue WHERE slug = @network", args, cancellationToken: ct)) == 0)
        {
            return UnknownNetwork(network);
        }
        var total = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, new Dapper.CommandDefinition(
            "SELECT COUNT(*) FROM fee_claims WHERE network_slug = @network AND year = @year", args, cancellationToken: ct));
        var rows = await Dapper.SqlMapper.QueryAsync<FeeClaimRow>(connection, new Dapper.CommandDefinition(
            FeeClaimRow.SelectSql + " WHERE network_slug = @network AND year = @year ORDER BY organization_name, id LIMIT @PageSize OFFSET @Offset", args, cancellationToken: ct));
        return TypedResults.Ok(new PagedList<FeeClaimView>(rows.Select(r => r.ToView()).ToList(), paging.Page, paging.PageSize, total));
    }

    private static FeeScheduleView View(string network, IReadOnlyList<FeeRow> rows) =>
        new(network, rows.Count > 0, OrganizationKinds.ToDictionary(k => k, k => rows.FirstOrDefault(r => r.OrganizationKind == k)?.AnnualFeeCents ?? 0L));

    internal static NotFoundProblem UnknownNetwork(string network) => new("Unknown network.", $"There is no network '{network}' in the catalogue.");
}

internal sealed class FeeClaimRow
{
    public const string SelectSql = """
        SELECT id AS Id, membership_id AS MembershipId, organization_id AS OrganizationId, organization_name AS OrganizationName,
               organization_kind AS OrganizationKind, network_slug AS Network, year AS Year, period_from AS PeriodFrom,
               period_to AS PeriodTo, annual_fee_cents AS AnnualFeeCents, amount_cents AS AmountCents
        FROM fee_claims
        """;

    public Guid Id { get; init; }
    public Guid MembershipId { get; init; }
    public Guid OrganizationId { get; init; }
    public string OrganizationName { get; init; } = "";
    public string OrganizationKind { get; init; } = "";
    public string Network { get; init; } = "";
    public int Year { get; init; }
    public DateOnly PeriodFrom { get; init; }
    public DateOnly PeriodTo { get; init; }
    public long AnnualFeeCents { get; init; }
    public long AmountCents { get; init; }

    public FeeClaimView ToView() => new(Id, MembershipId, OrganizationId, OrganizationName, OrganizationKind, Network, Year, PeriodFrom, PeriodTo, AnnualFeeCents, AmountCents);
}
