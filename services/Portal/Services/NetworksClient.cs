using System.Globalization;
using Microsoft.Extensions.Options;

namespace EmsAchse.Portal.Services;

/// <summary>The networks service's public catalogue through the gateway: the umbrella, the networks, their members.</summary>
public sealed class NetworksClient(HttpClient http, NetworkCatalogue catalogue, IOptions<PortalOptions> options)
{
    public async Task<Umbrella> UmbrellaAsync(CancellationToken ct) =>
        (await ApiCalls.GetAsync<Umbrella>(http, "api/networks/umbrella", notFoundIsNull: false, ct))!;

    /// <summary>
    /// Every network (the alliance has a handful; one page of the API's maximum holds them), shared for a short while
    /// (<see cref="NetworkCatalogue"/>). The fetch is not cancelled with one visitor's request, since others may wait on it;
    /// the resilience handler's timeout bounds it.
    /// </summary>
    public Task<IReadOnlyList<Network>> ListAsync(CancellationToken ct) =>
        catalogue.GetAsync(options.Value.CatalogueMaxAge, async () =>
            (await ApiCalls.GetAsync<Paged<Network>>(http, "api/networks?pageSize=200", notFoundIsNull: false, CancellationToken.None))!.Items)
            .WaitAsync(ct);

    public Task<Network?> FindAsync(string slug, CancellationToken ct) =>
        ApiCalls.GetAsync<Network>(http, $"api/networks/{Uri.EscapeDataString(slug)}", notFoundIsNull: true, ct);

    public async Task<Paged<NetworkMember>> ActiveMembersAsync(string slug, int page, int pageSize, CancellationToken ct) =>
        (await ApiCalls.GetAsync<Paged<NetworkMember>>(
            http,
            ApiCalls.Query($"api/networks/{Uri.EscapeDataString(slug)}/members",
                ("status", "active"), ("page", page.ToString(CultureInfo.InvariantCulture)), ("pageSize", pageSize.ToString(CultureInfo.InvariantCulture))),
            notFoundIsNull: false,
            ct))!;
}
