using System.Globalization;

namespace EmsAchse.Portal.Services.Console;

/// <summary>A current manager of a network, with the contact details its admins and managers see.</summary>
public sealed record NetworkManager(Guid Id, string NetworkSlug, string Name, Guid? SiteId, string? SiteName, string Email, string? Phone, DateTimeOffset AddedAt);

public sealed record ManagerAppointment(string? Name, string? Email, string? Phone, Guid? SiteId);

/// <summary>
/// A network's managers at the networks service with the user's token. Appointing one is what gives the sign-in right
/// (identity invites the person); removing one takes it away.
/// </summary>
public sealed class ManagersClient(HttpClient http)
{
    private static string Path(string slug) => $"api/networks/{Uri.EscapeDataString(slug)}/managers";

    public Task<ApiResult<Paged<NetworkManager>>> ListAsync(string slug, CancellationToken ct) =>
        AdminCalls.GetAsync<Paged<NetworkManager>>(http, ApiCalls.Query(Path(slug), ("pageSize", 200.ToString(CultureInfo.InvariantCulture))), ct);

    public Task<ApiResult<NetworkManager>> AppointAsync(string slug, ManagerAppointment appointment, CancellationToken ct) =>
        AdminCalls.SendAsync<NetworkManager>(http, HttpMethod.Post, Path(slug), appointment, ct);

    public Task<ApiResult<Unit>> RemoveAsync(string slug, Guid id, CancellationToken ct) =>
        AdminCalls.SendAsync<Unit>(http, HttpMethod.Delete, $"{Path(slug)}/{id:D}", null, ct);
}
