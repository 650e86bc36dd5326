using System.Security.Claims;
using System.Text;
using EmsAchse.Funding.Budgets;
using EmsAchse.Funding.Coverage;
using EmsAchse.Funding.Fees;
using EmsAchse.Platform.Csv;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmsAchse.Funding.Reports;

public sealed record ReportShareView(Guid CommitmentId, Guid FunderId, string FunderName, string FunderKind, int ShareBasisPoints, DateOnly ValidFrom, DateOnly? ValidTo, string Status, int DaysInYear);

public sealed record ReportGapView(DateOnly From, DateOnly To, int TotalBasisPoints);

public sealed record ReportSiteView(
    Guid SiteId,
    string Name,
    string? Town,
    string Status,
    long? BudgetCents,
    long CoveredCents,
    long UncoveredCents,
    IReadOnlyList<ReportShareView> Shares,
    IReadOnlyList<ContributionView> Contributions,
    IReadOnlyList<ReportGapView> Gaps);

public sealed record FeeIncomeView(int Claims, long AmountCents, IReadOnlyDictionary<string, long> ByOrganizationKind);

public sealed record NetworkReportView(string Network, string NetworkName, int Year, IReadOnlyList<ReportSiteView> Sites, FeeIncomeView FeeIncome, long BudgetCents, long ContributionsCents);

/// <summary>A network's funding in one year: per site budget, shares, contributions and gaps; fee income. JSON or CSV.</summary>
public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/funding/networks/{slug}/report", ReportAsync).RequireAuthorization(Policies.Manager).WithTags("Reports")
            .WithSummary("Report a network's funding")
            .WithDescription("An admin or a manager of the network. A year's funding (default this year): per site the budget, shares, contributions and coverage gaps, and the fee income. `format=csv` or `Accept: text/csv` gives one CSV table instead of JSON.");
        return app;
    }

    private sealed class NetworkRow
    {
        public string Name { get; init; } = "";
    }

    private sealed class SiteRow
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public string? Town { get; init; }
        public string Status { get; init; } = "";
        public DateOnly? Opened { get; init; }
        public DateOnly? Closed { get; init; }
        public long? BudgetCents { get; init; }
    }

    private sealed class ShareRow
    {
        public Guid CommitmentId { get; init; }
        public Guid SiteId { get; init; }
        public Guid FunderId { get; init; }
        public string FunderName { get; init; } = "";
        public string FunderKind { get; init; } = "";
        public int ShareBasisPoints { get; init; }
        public DateOnly ValidFrom { get; init; }
        public DateOnly? ValidTo { get; init; }
        public string Status { get; init; } = "";

        public FundingShare ToShare() => new(CommitmentId, FunderId, ShareBasisPoints, ValidFrom, ValidTo);
    }

    private sealed class FeeRow
    {
        public string OrganizationKind { get; init; } = "";
        public long Claims { get; init; }
        public long AmountCents { get; init; }
    }

    private static async Task<Results<Ok<NetworkReportView>, ContentHttpResult, ValidationProblem, NotFoundProblem, ForbiddenProblem>> ReportAsync(string slug, int? year, string? format, HttpRequest http, ClaimsPrincipal user, ServiceDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var network = slug.Trim().ToLowerInvariant();
        if (user.ForbidUnlessManages(network) is { } forbidden)
        {
            return forbidden;
        }
        var reportYear = year ?? BusinessCalendar.Today(clock).Year;
        if (reportYear is < BudgetsApi.FirstYear or > BudgetsApi.LastYear)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["year"] = [$"year must be between {BudgetsApi.FirstYear} and {BudgetsApi.LastYear}."] }, title: "The year is invalid.");
        }
        await using var connection = await db.OpenAsync(ct);
        var args = new { network, year = reportYear, first = new DateOnly(reportYear, 1, 1), last = new DateOnly(reportYear, 12, 31) };
        var networkRow = await Dapper.SqlMapper.QuerySingleOrDefaultAsync<NetworkRow>(connection, new Dapper.CommandDefinition("SELECT name AS Name FROM network_catalogue WHERE slug = @network", args, cancellationToken: ct));
        if (networkRow is null)
        {
            return FeesApi.UnknownNetwork(network);
        }
        const string sitesSql = """
            SELECT s.id AS Id, s.name AS Name, s.town AS Town, s.status AS Status, s.opened AS Opened, s.closed AS Closed, b.amount_cents AS BudgetCents
            FROM sites s LEFT JOIN site_budgets b ON b.site_id = s.id AND b.year = @year
            WHERE s.network_slug = @network AND (s.opened IS NULL OR s.opened <= @last) AND (s.closed IS NULL OR s.closed >= @first)
            ORDER BY s.name, s.id
            """;
        var sites = (await Dapper.SqlMapper.QueryAsync<SiteRow>(connection, new Dapper.CommandDefinition(sitesSql, args, cancellationToken: ct))).ToList();
        const string sharesSql = """
            SELECT c.id AS CommitmentId, c.site_id AS SiteId, c.funder_id AS FunderId, f.name AS FunderName, f.kind AS FunderKind,
                   c.share_basis_points AS ShareBasisPoints, c.valid_from AS ValidFrom, c.valid_to AS ValidTo, c.status AS Status
            FROM commitments c JOIN funders f ON f.id = c.funder_id JOIN sites s ON s.id = c.site_id
            WHERE s.network_slug = @network AND c.valid_from <= @last AND (c.valid_to IS NULL OR c.valid_to >= @first) AND (c.valid_to IS NULL OR c.valid_to >= c.valid_from)
            ORDER BY c.valid_from, f.name, c.id
            """;
        var shares = (await Dapper.SqlMapper.QueryAsync<ShareRow>(connection, new Dapper.CommandDefinition(sharesSql, args, cancellationToken: ct))).ToList();
        const string feesSql = """
            SELECT organization_kind AS OrganizationKind, COUNT(*) AS Claims, CAST(SUM(amount_cents) AS bigint) AS AmountCents
            FROM fee_claims WHERE network_slug = @network AND year = @year GROUP BY organization_kind ORDER BY organization_kind
            """;
        var fees = (await Dapper.SqlMapper.QueryAsync<FeeRow>(connection, new Dapper.CommandDefinition(feesSql, args, cancellationToken: ct))).ToList();

        var names = shares.GroupBy(s => s.FunderId).ToDictionary(g => g.Key, g => g.First().FunderName);
        var siteViews = sites.Select(site => SiteView(site, shares.Where(s => s.SiteId == site.Id).ToList(), reportYear, args.first, args.last, names)).ToList();
        var report = new NetworkReportView(
            network,
            networkRow.Name,
            reportYear,
            siteViews,
            new FeeIncomeView((int)fees.Sum(f => f.Claims), fees.Sum(f => f.AmountCents), fees.ToDictionary(f => f.OrganizationKind, f => f.AmountCents)),
            siteViews.Sum(s => s.BudgetCents ?? 0),
            siteViews.Sum(s => s.CoveredCents));

        var wantsCsv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
            || http.Headers.Accept.Any(a => a is not null && a.Contains("text/csv", StringComparison.OrdinalIgnoreCase));
        if (wantsCsv)
        {
            return TypedResults.Text(ReportCsv.Write(report), "text/csv; charset=utf-8", Encoding.UTF8);
        }
        return TypedResults.Ok(report);
    }

    private static ReportSiteView SiteView(SiteRow site, IReadOnlyList<ShareRow> rows, int year, DateOnly first, DateOnly last, IReadOnlyDictionary<Guid, string> names)
    {
        var shares = rows.Select(r => r.ToShare()).ToList();
        var split = site.BudgetCents is { } budget ? BudgetAllocation.Split(budget, year, shares) : null;
        // Gaps only count while the site is open.
        var from = site.Opened is { } opened && opened > first ? opened : first;
        var to = site.Closed is { } closed && closed < last ? closed : last;
        return new ReportSiteView(
            site.Id,
            site.Name,
            site.Town,
            site.Status,
            site.BudgetCents,
            split?.CoveredCents ?? 0,
            split?.UncoveredCents ?? 0,
            rows.Select(r => new ReportShareView(r.CommitmentId, r.FunderId, r.FunderName, r.FunderKind, r.ShareBasisPoints, r.ValidFrom, r.ValidTo, r.Status, r.ToShare().DaysWithin(first, last))).ToList(),
            split is null ? [] : split.Contributions.Select(c => new ContributionView(c.FunderId, names.GetValueOrDefault(c.FunderId, ""), c.AmountCents)).ToList(),
            SiteCoverage.Gaps(shares, from, to).Select(g => new ReportGapView(g.From, g.To, g.TotalBasisPoints)).ToList());
    }
}

/// <summary>The report as one CSV table: a line per share, contribution, gap and fee-income kind (through the shared, injection-safe writer).</summary>
public static class ReportCsv
{
    private static readonly CsvCell[] Header = ["network", "year", "line", "site_id", "site", "budget_cents", "funder_id", "funder", "share_basis_points", "valid_from", "valid_to", "amount_cents", "from", "to", "coverage_basis_points", "organization_kind", "claims"];

    public static string Write(NetworkReportView report)
    {
        var csv = new CsvWriter().Row(Header);
        var (n, y, e) = (report.Network, report.Year, CsvCell.Empty);
        foreach (var site in report.Sites)
        {
            var id = site.SiteId;
            csv.Row(n, y, "budget", id, site.Name, site.BudgetCents, e, e, e, e, e, site.CoveredCents, e, e, e, e, e);
            foreach (var s in site.Shares)
            {
                csv.Row(n, y, "share", id, site.Name, e, s.FunderId, s.FunderName, s.ShareBasisPoints, s.ValidFrom, s.ValidTo, e, e, e, e, e, e);
            }
            foreach (var c in site.Contributions)
            {
                csv.Row(n, y, "contribution", id, site.Name, e, c.FunderId, c.FunderName, e, e, e, c.AmountCents, e, e, e, e, e);
            }
            foreach (var g in site.Gaps)
            {
                csv.Row(n, y, "gap", id, site.Name, e, e, e, e, e, e, e, g.From, g.To, g.TotalBasisPoints, e, e);
            }
        }
        foreach (var (kind, amount) in report.FeeIncome.ByOrganizationKind)
        {
            csv.Row(n, y, "fee-income", e, e, e, e, e, e, e, e, amount, e, e, e, kind, e);
        }
        csv.Row(n, y, "fee-income-total", e, e, e, e, e, e, e, e, report.FeeIncome.AmountCents, e, e, e, e, report.FeeIncome.Claims);
        return csv.ToString();
    }
}
