using System.Globalization;

namespace EmsAchse.Portal.Services.Console;

public sealed record Erasure(Guid OrganizationId, int ErasedContacts, DateTimeOffset ErasedAt, long Version);

/// <summary>
/// An organisation and its contacts as the caller may see them (admins all; a manager those of their networks' members
/// and applications), and GDPR for admins: find any organisation, export everything held about it, erase its personal data.
/// </summary>
public sealed class PrivacyClient(HttpClient http)
{
    /// <summary>Every organisation matching the text, listed or not (admins only).</summary>
    public Task<ApiResult<Paged<Organization>>> SearchAsync(string? text, int page, CancellationToken ct) =>
        AdminCalls.GetAsync<Paged<Organization>>(
            http,
            ApiCalls.Query("api/members/organizations", ("q", text), ("includeUnlisted", "true"), ("page", page.ToString(CultureInfo.InvariantCulture)), ("pageSize", "20")),
            ct);

    public Task<ApiResult<Organization>> OrganizationAsync(Guid id, CancellationToken ct) =>
        AdminCalls.GetAsync<Organization>(http, $"api/members/organizations/{id:D}", ct);

    /// <summary>Every contact of the organisation, consented or not (admins see them all).</summary>
    public Task<ApiResult<List<Contact>>> ContactsAsync(Guid id, CancellationToken ct) =>
        AdminCalls.GetAsync<List<Contact>>(http, $"api/members/organizations/{id:D}/contacts", ct);

    public Task<ApiResult<ApiFile>> ExportAsync(Guid id, CancellationToken ct) =>
        AdminCalls.DownloadAsync(http, $"api/members/organizations/{id:D}/export", "application/json", ct);

    public Task<ApiResult<Erasure>> EraseAsync(Guid id, CancellationToken ct) =>
        AdminCalls.SendAsync<Erasure>(http, HttpMethod.Post, $"api/members/organizations/{id:D}/erase", null, ct);
}
