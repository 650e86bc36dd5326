using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EmsAchse.TestSupport;
using Xunit;

namespace EmsAchse.Gateway.Tests;

/// <summary>Who may do what through the gateway: anonymous reads, tokens, API keys, and the services authorising again.</summary>
[Collection(GatewayPlatformCollection.Name)]
public sealed class AccessTests(GatewayPlatform platform)
{
    private static readonly Uri Catalogue = new("/api/networks", UriKind.Relative);

    [Fact]
    public async Task anonymous_reads_the_catalogue_with_a_correlation_id_and_security_headers()
    {
        using var client = platform.GatewayClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/networks/it-achse");
        request.Headers.Add("X-Correlation-Id", "integrator-trace-42");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var network = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("it-achse", network.GetProperty("slug").GetString());
        Assert.Equal("integrator-trace-42", response.Headers.GetValues("X-Correlation-Id").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task anonymous_reads_the_member_directory_and_may_apply_for_membership()
    {
        using var client = platform.GatewayClient();

        var directory = await client.GetAsync(new Uri("/api/members/organizations?page=1&pageSize=5", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, directory.StatusCode);

        // Reaches the members service (which judges the body) instead of being refused by the gateway.
        var application = await client.PostAsJsonAsync(new Uri("/api/members/applications", UriKind.Relative), new { network = "it-achse" });
        Assert.NotEqual(HttpStatusCode.Unauthorized, application.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, application.StatusCode);
    }

    [Fact]
    public async Task a_gateway_made_correlation_id_is_returned_when_the_caller_sends_none()
    {
        using var client = platform.GatewayClient();
        using var response = await client.GetAsync(Catalogue);
        Assert.Matches("^[0-9a-f]{32}$", response.Headers.GetValues("X-Correlation-Id").Single());
    }

    [Fact]
    public async Task anonymous_write_is_refused_with_401_problem_and_changes_nothing()
    {
        using var client = platform.GatewayClient();
        var slug = $"anon-{Guid.NewGuid():N}"[..16];

        using var response = await client.PostAsJsonAsync(Catalogue, new { slug, name = "Anonym" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"/api/networks/{slug}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task anonymous_may_not_read_what_is_not_public()
    {
        using var client = platform.GatewayClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/networks/it-achse/managers", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/funding/funders", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/members/applications", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task a_forged_token_is_refused_with_401()
    {
        using var client = platform.GatewayClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", DevTokens.For("admin")[..^4] + "AAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/funding/funders", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task manager_of_it_achse_writing_to_mema_gets_403_through_the_gateway_and_directly()
    {
        var site = new { name = "Fremdstandort", town = "Meppen", district = "emsland", opened = "2025-01-01" };
        using var throughGateway = platform.GatewayClient("network-manager", "it-achse");
        using var direct = new HttpClient { BaseAddress = platform.Networks.Address };
        direct.DefaultRequestHeaders.Authorization = throughGateway.DefaultRequestHeaders.Authorization;
        var sitesBefore = await SiteCountAsync("mema");

        var viaGateway = await throughGateway.PostAsJsonAsync(new Uri("/api/networks/mema/sites", UriKind.Relative), site);
        var viaService = await direct.PostAsJsonAsync(new Uri("/api/networks/mema/sites", UriKind.Relative), site);

        Assert.Equal(HttpStatusCode.Forbidden, viaGateway.StatusCode);
        Assert.Equal("application/problem+json", viaGateway.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, viaService.StatusCode);
        Assert.Equal(sitesBefore, await SiteCountAsync("mema"));
    }

    [Fact]
    public async Task the_manager_may_write_to_their_own_network_through_the_gateway()
    {
        using var manager = platform.GatewayClient("network-manager", "it-achse");
        var before = await SiteCountAsync("it-achse");

        var opened = await manager.PostAsJsonAsync(new Uri("/api/networks/it-achse/sites", UriKind.Relative), new { name = $"Papenburg {Guid.NewGuid():N}"[..20], town = "Papenburg", district = "emsland", opened = "2025-01-01" });

        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        Assert.Equal(before + 1, await SiteCountAsync("it-achse"));
    }

    [Fact]
    public async Task integrator_key_reads_but_cannot_write()
    {
        using var integrator = platform.GatewayClientWithKey(GatewayPlatform.DevKey);
        var slug = $"key-{Guid.NewGuid():N}"[..16];

        var read = await integrator.GetAsync(Catalogue);
        var write = await integrator.PostAsJsonAsync(Catalogue, new { slug, name = "Schlüsselnetz" });
        var writeSite = await integrator.PostAsJsonAsync(new Uri("/api/networks/it-achse/sites", UriKind.Relative), new { name = "X", town = "Leer", district = "leer" });

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, writeSite.StatusCode);
        Assert.Equal("application/problem+json", write.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await integrator.GetAsync(new Uri($"/api/networks/{slug}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task an_unknown_key_is_refused_with_401()
    {
        using var stranger = platform.GatewayClientWithKey("not-a-key-anyone-was-given");
        var response = await stranger.GetAsync(Catalogue);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task a_revoked_key_stops_working_after_configuration_reload_without_restart()
    {
        using var crm = platform.GatewayClientWithKey(GatewayPlatform.CrmKey);
        Assert.Equal(HttpStatusCode.OK, (await crm.GetAsync(Catalogue)).StatusCode);

        await platform.WriteApiKeysAsync(revokeCrm: true);
        try
        {
            await Eventually.SucceedsAsync(async () => Assert.Equal(HttpStatusCode.Unauthorized, (await crm.GetAsync(Catalogue)).StatusCode), seconds: 20);
            // Other keys keep working.
            using var dev = platform.GatewayClientWithKey(GatewayPlatform.DevKey);
            Assert.Equal(HttpStatusCode.OK, (await dev.GetAsync(Catalogue)).StatusCode);
        }
        finally
        {
            await platform.WriteApiKeysAsync(revokeCrm: false);
        }
    }

    private async Task<int> SiteCountAsync(string slug)
    {
        using var client = new HttpClient { BaseAddress = platform.Networks.Address };
        var sites = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/networks/{slug}/sites?pageSize=200", UriKind.Relative));
        return sites.GetProperty("total").GetInt32();
    }
}

/// <summary>Limits: rate, body size, unknown routes, CORS.</summary>
[Collection(GatewayPlatformCollection.Name)]
public sealed class LimitTests(GatewayPlatform platform)
{
    private static readonly Uri Catalogue = new("/api/networks", UriKind.Relative);

    [Fact]
    public async Task a_burst_beyond_the_keys_limit_gets_429_with_retry_after_and_a_problem()
    {
        using var burst = platform.GatewayClientWithKey(GatewayPlatform.BurstKey);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < GatewayPlatform.BurstLimit + 3; i++)
        {
            var response = await burst.GetAsync(Catalogue);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited ??= response;
            }
        }

        Assert.All(statuses.Take(GatewayPlatform.BurstLimit), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.NotNull(limited);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        var problem = await limited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        // Other callers have their own buckets.
        using var other = platform.GatewayClientWithKey(GatewayPlatform.DevKey);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(Catalogue)).StatusCode);
    }

    [Fact]
    public async Task a_2_mib_body_gets_413_and_creates_nothing()
    {
        using var admin = platform.GatewayClient("admin");
        var slug = $"big-{Guid.NewGuid():N}"[..16];
        var json = $$"""{"slug":"{{slug}}","name":"Gross","description":"{{new string('x', 2 * 1024 * 1024)}}"}""";

        using var response = await admin.PostAsync(Catalogue, new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var check = platform.GatewayClient();
        Assert.Equal(HttpStatusCode.NotFound, (await check.GetAsync(new Uri($"/api/networks/{slug}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task an_unknown_route_gets_404_problem()
    {
        using var client = platform.GatewayClient();
        using var response = await client.GetAsync(new Uri("/api/nothing-here/at-all", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("correlationId", out _));
    }

    [Fact]
    public async Task pages_go_to_the_portal_with_its_own_policy_while_api_paths_stay_problem_json()
    {
        using var client = platform.GatewayClient();

        using var page = await client.GetAsync(new Uri("/netzwerke/it-achse", UriKind.Relative));
        using var unknownApi = await client.GetAsync(new Uri("/api/netzwerke", UriKind.Relative));
        using var api = await client.GetAsync(new Uri("/api/networks/it-achse", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/netzwerke/it-achse", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(PortalStub.Policy, page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(HttpStatusCode.NotFound, unknownApi.StatusCode);
        Assert.Equal("application/problem+json", unknownApi.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.StartsWith("default-src 'none'", api.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task cors_is_granted_to_the_portal_origin_only()
    {
        using var client = platform.GatewayClient();

        using var portal = Preflight("https://portal.ems-achse.example");
        using var stranger = Preflight("https://evil.example");
        var allowed = await client.SendAsync(portal);
        var refused = await client.SendAsync(stranger);

        Assert.Equal("https://portal.ems-achse.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));

        static HttpRequestMessage Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "/api/networks");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
            return request;
        }
    }
}
