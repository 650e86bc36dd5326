using System.Globalization;

namespace EmsAchse.Portal.Services.Console;

public sealed record Decision(string? Reason);

/// <summary>A network's applications with the manager's token: members decides who may see and decide which.</summary>
public sealed class ApplicationsClient(HttpClient http)
{
    public const int PageSize = 20;

    public Task<ApiResult<Paged<Membership>>> PendingAsync(string network, int page, CancellationToken ct) =>
        AdminCalls.GetAsync<Paged<Membership>>(
            http,
            ApiCalls.Query("api/members/applications", ("network", network), ("status", "applied"), ("page", page.ToString(CultureInfo.InvariantCulture)), ("pageSize", PageSize.ToString(CultureInfo.InvariantCulture))),
            ct);

    public Task<ApiResult<Membership>> ApplicationAsync(Guid id, CancellationToken ct) =>
        AdminCalls.GetAsync<Membership>(http, $"api/members/applications/{id:D}", ct);

    public Task<ApiResult<Membership>> ApproveAsync(Guid id, string? reason, CancellationToken ct) =>
        AdminCalls.SendAsync<Membership>(http, HttpMethod.Post, $"api/members/applications/{id:D}/approve", new Decision(reason), ct);

    public Task<ApiResult<Membership>> RejectAsync(Guid id, string? reason, CancellationToken ct) =>
        AdminCalls.SendAsync<Membership>(http, HttpMethod.Post, $"api/members/applications/{id:D}/reject", new Decision(reason), ct);
}
