namespace EmsAchse.Portal.Services.Console;

public sealed record UmbrellaInput(
    string? Name,
    string? ShortName,
    string? LegalForm,
    int? Founded,
    string? Mission,
    UmbrellaOffice? Office,
    IReadOnlyList<string>? Districts,
    int? MemberOrganizations,
    int? Employees,
    int? FiguresYear,
    IReadOnlyList<string>? WorkAreas,
    string? Website);

public sealed record NetworkRegistration(string? Slug, string? Name, string? Description, IReadOnlyList<string>? Topics, DateOnly? Founded);

public sealed record NetworkChange(string? Name, string? Description, IReadOnlyList<string>? Topics, DateOnly? Founded);

public sealed record NetworkDissolution(DateOnly? DissolvedOn);

/// <summary>The networks service's admin writes with the user's token: the umbrella's facts and the register of networks.</summary>
public sealed class NetworkAdminClient(HttpClient http)
{
    private static string Slug(string slug) => Uri.EscapeDataString(slug);

    public Task<ApiResult<Umbrella>> UmbrellaAsync(CancellationToken ct) =>
        AdminCalls.GetAsync<Umbrella>(http, "api/networks/umbrella", ct);

    public Task<ApiResult<Umbrella>> ChangeUmbrellaAsync(UmbrellaInput input, CancellationToken ct) =>
        AdminCalls.SendAsync<Umbrella>(http, HttpMethod.Put, "api/networks/umbrella", input, ct);

    public Task<ApiResult<Paged<Network>>> NetworksAsync(CancellationToken ct) =>
        AdminCalls.GetAsync<Paged<Network>>(http, "api/networks?pageSize=200", ct);

    public Task<ApiResult<Network>> NetworkAsync(string slug, CancellationToken ct) =>
        AdminCalls.GetAsync<Network>(http, $"api/networks/{Slug(slug)}", ct);

    public Task<ApiResult<Network>> RegisterAsync(NetworkRegistration input, CancellationToken ct) =>
        AdminCalls.SendAsync<Network>(http, HttpMethod.Post, "api/networks", input, ct);

    public Task<ApiResult<Network>> ChangeAsync(string slug, NetworkChange input, CancellationToken ct) =>
        AdminCalls.SendAsync<Network>(http, HttpMethod.Put, $"api/networks/{Slug(slug)}", input, ct);

    public Task<ApiResult<Network>> DissolveAsync(string slug, NetworkDissolution input, CancellationToken ct) =>
        AdminCalls.SendAsync<Network>(http, HttpMethod.Post, $"api/networks/{Slug(slug)}/dissolve", input, ct);
}
