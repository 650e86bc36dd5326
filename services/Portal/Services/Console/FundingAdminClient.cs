using System.Globalization;

namespace EmsAchse.Portal.Services.Console;

public sealed record Funder(Guid Id, string Name, string Kind, string? District);

public sealed record FunderInput(string? Name, string? Kind, string? District);

public sealed record Commitment(Guid Id, Guid FunderId, string FunderName, Guid SiteId, string? SiteName, string? NetworkSlug, int ShareBasisPoints, DateOnly ValidFrom, DateOnly? ValidTo, string Status)
{
    public bool IsActive => Status == "active";
}

public sealed record CommitmentInput(Guid? FunderId, Guid? SiteId, int? ShareBasisPoints, DateOnly? ValidFrom, DateOnly? ValidTo);

public sealed record CommitmentEnd(DateOnly? ValidTo);

public sealed record BudgetContribution(Guid FunderId, string FunderName, long AmountCents);

public sealed record Budget(Guid SiteId, int Year, long AmountCents, long CoveredCents, long UncoveredCents, IReadOnlyList<BudgetContribution> Contributions);

public sealed record BudgetInput(long? AmountCents);

public sealed record FeeSchedule(string Network, bool Configured, IReadOnlyDictionary<string, long> AnnualFeeCents);

public sealed record FeeScheduleInput(IReadOnlyDictionary<string, long?> AnnualFeeCents);

public sealed record FeeClaim(Guid Id, Guid MembershipId, Guid OrganizationId, string OrganizationName, string OrganizationKind, string Network, int Year, DateOnly PeriodFrom, DateOnly PeriodTo, long AnnualFeeCents, long AmountCents);

public sealed record ReportShare(Guid CommitmentId, Guid FunderId, string FunderName, string FunderKind, int ShareBasisPoints, DateOnly ValidFrom, DateOnly? ValidTo, string Status, int DaysInYear);

public sealed record ReportGap(DateOnly From, DateOnly To, int TotalBasisPoints);

public sealed record ReportSite(Guid SiteId, string Name, string? Town, string Status, long? BudgetCents, long CoveredCents, long UncoveredCents, IReadOnlyList<ReportShare> Shares, IReadOnlyList<BudgetContribution> Contributions, IReadOnlyList<ReportGap> Gaps);

public sealed record FeeIncome(int Claims, long AmountCents, IReadOnlyDictionary<string, long> ByOrganizationKind);

public sealed record FundingReport(string Network, string NetworkName, int Year, IReadOnlyList<ReportSite> Sites, FeeIncome FeeIncome, long BudgetCents, long ContributionsCents);

/// <summary>The funding service for the consoles, with the user's token: funders, commitments, budgets, fees and reports.</summary>
public sealed class FundingAdminClient(HttpClient http)
{
    private static string Id(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Slug(string slug) => Uri.EscapeDataString(slug);

    public Task<ApiResult<Paged<Funder>>> FundersAsync(CancellationToken ct) =>
        AdminCalls.GetAsync<Paged<Funder>>(http, "api/funding/funders?pageSize=200", ct);

    public Task<ApiResult<Funder>> CreateFunderAsync(FunderInput input, CancellationToken ct) =>
        AdminCalls.SendAsync<Funder>(http, HttpMethod.Post, "api/funding/funders", input, ct);

    public Task<ApiResult<Funder>> ChangeFunderAsync(Guid id, FunderInput input, CancellationToken ct) =>
        AdminCalls.SendAsync<Funder>(http, HttpMethod.Put, $"api/funding/funders/{Id(id)}", input, ct);

    /// <summary>Every commitment of a site, active and ended (a site has a handful; one page of the maximum holds them).</summary>
    public Task<ApiResult<Paged<Commitment>>> CommitmentsOfSiteAsync(Guid siteId, CancellationToken ct) =>
        AdminCalls.GetAsync<Paged<Commitment>>(http, $"api/funding/commitments?siteId={Id(siteId)}&pageSize=200", ct);

    public Task<ApiResult<Commitment>> CommitmentAsync(Guid id, CancellationToken ct) =>
        AdminCalls.GetAsync<Commitment>(http, $"api/funding/commitments/{Id(id)}", ct);

    public Task<ApiResult<Commitment>> CommitAsync(CommitmentInput input, CancellationToken ct) =>
        AdminCalls.SendAsync<Commitment>(http, HttpMethod.Post, "api/funding/commitments", input, ct);

    public Task<ApiResult<Commitment>> ChangeCommitmentAsync(Guid id, CommitmentInput input, CancellationToken ct) =>
        AdminCalls.SendAsync<Commitment>(http, HttpMethod.Put, $"api/funding/commitments/{Id(id)}", input, ct);

    public Task<ApiResult<Commitment>> EndCommitmentAsync(Guid id, CommitmentEnd end, CancellationToken ct) =>
        AdminCalls.SendAsync<Commitment>(http, HttpMethod.Post, $"api/funding/commitments/{Id(id)}/end", end, ct);

    public Task<ApiResult<Coverage>> CoverageAsync(Guid siteId, DateOnly? date, CancellationToken ct) =>
        AdminCalls.GetAsync<Coverage>(http, ApiCalls.Query($"api/funding/sites/{Id(siteId)}/coverage", ("date", date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))), ct);

    /// <summary>A site's budget of a year; a 404 problem means "none set yet".</summary>
    public Task<ApiResult<Budget>> BudgetAsync(Guid siteId, int year, CancellationToken ct) =>
        AdminCalls.GetAsync<Budget>(http, $"api/funding/sites/{Id(siteId)}/budgets/{Number(year)}", ct);

    public Task<ApiResult<Budget>> SetBudgetAsync(Guid siteId, int year, BudgetInput input, CancellationToken ct) =>
        AdminCalls.SendAsync<Budget>(http, HttpMethod.Put, $"api/funding/sites/{Id(siteId)}/budgets/{Number(year)}", input, ct);

    public Task<ApiResult<FeeSchedule>> FeesAsync(string slug, CancellationToken ct) =>
        AdminCalls.GetAsync<FeeSchedule>(http, $"api/funding/networks/{Slug(slug)}/fees", ct);

    public Task<ApiResult<FeeSchedule>> SetFeesAsync(string slug, FeeScheduleInput input, CancellationToken ct) =>
        AdminCalls.SendAsync<FeeSchedule>(http, HttpMethod.Put, $"api/funding/networks/{Slug(slug)}/fees", input, ct);

    public Task<ApiResult<Paged<FeeClaim>>> FeeClaimsAsync(string slug, int year, int page, int pageSize, CancellationToken ct) =>
        AdminCalls.GetAsync<Paged<FeeClaim>>(http, $"api/funding/networks/{Slug(slug)}/fee-claims?year={Number(year)}&page={Number(page)}&pageSize={Number(pageSize)}", ct);

    public Task<ApiResult<FundingReport>> ReportAsync(string slug, int year, CancellationToken ct) =>
        AdminCalls.GetAsync<FundingReport>(http, $"api/funding/networks/{Slug(slug)}/report?year={Number(year)}", ct);

    /// <summary>The report as the funding service writes it in CSV (its injection-safe writer).</summary>
    public Task<ApiResult<ApiFile>> ReportCsvAsync(string slug, int year, CancellationToken ct) =>
        AdminCalls.DownloadAsync(http, $"api/funding/networks/{Slug(slug)}/report?year={Number(year)}&format=csv", "text/csv", ct);
}
