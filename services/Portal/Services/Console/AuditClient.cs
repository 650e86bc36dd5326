using System.Globalization;

namespace EmsAchse.Portal.Services.Console;

public sealed record SignInEvent(DateTimeOffset At, string? AccountId, string? Email, string Kind, string? Network, string? Address);

public sealed record ChangeRecord(DateTimeOffset At, string? ActorId, string? ActorName, string Action, string AggregateType, string AggregateId, string? Network);

/// <summary>What the audit page filters by; empty values are left out of the query.</summary>
public sealed record AuditFilter(string? Actor, string? AggregateType, string? AggregateId, string? Account, string? Kind, int Page, int PageSize);

/// <summary>The audit trail for admins: identity's sign-ins and rights changes, and each service's change records.</summary>
public sealed class AuditClient(HttpClient http)
{
    /// <summary>The services that keep change records, with their API prefix.</summary>
    public static readonly IReadOnlyList<(string Code, string Name, string Path)> ChangeSources =
    [
        ("networks", "Netzwerke", "api/networks/admin/changes"),
        ("members", "Mitglieder", "api/members/admin/changes"),
        ("funding", "Finanzierung", "api/funding/admin/changes"),
    ];

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    public Task<ApiResult<Paged<SignInEvent>>> SignInsAsync(AuditFilter filter, CancellationToken ct) =>
        AdminCalls.GetAsync<Paged<SignInEvent>>(
            http,
            ApiCalls.Query("identity/api/audit", ("page", Number(filter.Page)), ("pageSize", Number(filter.PageSize)), ("account", filter.Account), ("kind", filter.Kind)),
            ct);

    public Task<ApiResult<Paged<ChangeRecord>>> ChangesAsync(string path, AuditFilter filter, CancellationToken ct) =>
        AdminCalls.GetAsync<Paged<ChangeRecord>>(
            http,
            ApiCalls.Query(path, ("page", Number(filter.Page)), ("pageSize", Number(filter.PageSize)), ("actor", filter.Actor), ("aggregateType", filter.AggregateType), ("aggregateId", filter.AggregateId)),
            ct);
}
