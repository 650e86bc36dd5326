using System.Globalization;

namespace EmsAchse.Portal.Services;

/// <summary>The funding service's public coverage of a site through the gateway.</summary>
public sealed class FundingClient(HttpClient http)
{
    /// <summary>Today's coverage (Europe/Berlin, the service's business date), or null for a site funding does not know yet.</summary>
    public Task<Coverage?> CoverageAsync(Guid siteId, CancellationToken ct) =>
        ApiCalls.GetAsync<Coverage>(http, $"api/funding/sites/{siteId.ToString("D", CultureInfo.InvariantCulture)}/coverage", notFoundIsNull: true, ct);
}
