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

public sealed record SiteInput(string? Name, string? Town, string? District, string? Address, DateOnly? Opened);

public sealed record SiteClosing(DateOnly? Closed);

/// <summary>A network's sites at the networks service with the user's token: open, change, close.</summary>
public sealed class SitesClient(HttpClient http)
{
    private static string Path(string slug) => $"api/networks/{Uri.EscapeDataString(slug)}/sites";

    public Task<ApiResult<Paged<Site>>> ListAsync(string slug, CancellationToken ct) =>
        AdminCalls.GetAsync<Paged<Site>>(http, $"{Path(slug)}?pageSize=200", ct);

    public Task<ApiResult<Site>> SiteAsync(string slug, Guid id, CancellationToken ct) =>
        AdminCalls.GetAsync<Site>(http, $"{Path(slug)}/{id:D}", ct);

    public Task<ApiResult<Site>> OpenAsync(string slug, SiteInput input, CancellationToken ct) =>
        AdminCalls.SendAsync<Site>(http, HttpMethod.Post, Path(slug), input, ct);

    public Task<ApiResult<Site>> ChangeAsync(string slug, Guid id, SiteInput input, CancellationToken ct) =>
        AdminCalls.SendAsync<Site>(http, HttpMethod.Put, $"{Path(slug)}/{id:D}", input, ct);

    public Task<ApiResult<Site>> CloseAsync(string slug, Guid id, SiteClosing closing, CancellationToken ct) =>
        AdminCalls.SendAsync<Site>(http, HttpMethod.Post, $"{Path(slug)}/{id:D}/close", closing, ct);
}
