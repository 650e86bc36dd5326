using System.Globalization;

namespace EmsAchse.Portal.Services.Console;

/// <summary>A membership as members shows it; an application is a membership before its decision (status "applied").</summary>
public sealed record Membership(
    Guid Id,
    Guid OrganizationId,
    string OrganizationName,
    string Network,
    string Status,
    DateTimeOffset Submitted,
    DateTimeOffset? Decided,
    string? DecidedBy,
    string? Reason,
    DateOnly? Since,
    DateOnly? Until,
    long Version);

public sealed record MembershipEnd(DateOnly? Until, string? Reason);

/// <summary>A network's memberships with the manager's token: list, search by name, end one.</summary>
public sealed class MembershipsClient(HttpClient http)
{
    public Task<ApiResult<Paged<Membership>>> ListAsync(string network, string? status, string? nameContains, int page, int pageSize, CancellationToken ct) =>
        AdminCalls.GetAsync<Paged<Membership>>(
            http,
            ApiCalls.Query("api/members/memberships", ("network", network), ("status", status), ("q", nameContains), ("page", page.ToString(CultureInfo.InvariantCulture)), ("pageSize", pageSize.ToString(CultureInfo.InvariantCulture))),
            ct);

    public Task<ApiResult<Membership>> EndAsync(Guid id, MembershipEnd end, CancellationToken ct) =>
        AdminCalls.SendAsync<Membership>(http, HttpMethod.Post, $"api/members/memberships/{id:D}/end", end, ct);
}
