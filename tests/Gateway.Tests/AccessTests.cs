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

        // Reaches the members service, which refuses the incomplete body with a field error (the gateway let it through).
        var application = await client.PostAsJsonAsync(new Uri("/api/members/applications", UriKind.Relative), new { network = "it-achse" });
        Assert.Equal(HttpStatusCode.BadRequest, application.StatusCode);
        Assert.Equal("application/problem+json", application.Content.Headers.ContentType?.MediaType);
        Assert.True((await application.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("errors", out _));
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

    [Theory]
    [InlineData("expired")]
    [InlineData("signed with another key")]
    public async Task an_expired_or_wrongly_signed_token_on_a_public_path_is_refused_with_401(string kind)
    {
        using var client = platform.GatewayClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", kind == "expired" ? DevTokens.Expired("admin") : DevTokens.SignedWithAnotherKey("admin"));

        using var response = await client.GetAsync(Catalogue);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task an_api_key_reaches_endpoints_that_need_a_role_through_the_token_the_gateway_mints()
    {
        using var integrator = platform.GatewayClientWithKey(GatewayPlatform.DevKey);
        using var anonymous = platform.GatewayClient();

        // The services answer these only to a caller with a role: they see the gateway's token, never the key.
        var funders = await integrator.GetAsync(new Uri("/api/funding/funders", UriKind.Relative));
        var managers = await integrator.GetAsync(new Uri("/api/networks/it-achse/managers", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, funders.StatusCode);
        Assert.True((await funders.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total").GetInt32() > 0);
        Assert.Equal(HttpStatusCode.OK, managers.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/api/funding/funders", UriKind.Relative))).StatusCode);
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

        using var request = new HttpRequestMessage(HttpMethod.Post, Catalogue) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        // As a careful client sends a large body: the refusal comes before the body is sent, so no reset of a
        // half-sent body can race the 413 (without it the test failed now and then on a busy machine).
        request.Headers.ExpectContinue = true;

        using var response = await admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var check = platform.GatewayClient();
        Assert.Equal(HttpStatusCode.NotFound, (await check.GetAsync(new Uri($"/api/networks/{slug}", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task a_service_refuses_a_body_over_the_gateways_limit_too(bool chunked)
    {
        using var admin = new HttpClient { BaseAddress = platform.Networks.Address };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", DevTokens.For("admin"));
        var slug = $"big-{Guid.NewGuid():N}"[..16];
        var json = $$"""{"slug":"{{slug}}","name":"Gross","description":"{{new string('x', 1024 * 1024)}}"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, Catalogue) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (chunked)
        {
            // No Content-Length: Kestrel cuts the body at the limit while it streams.
            request.Headers.TransferEncodingChunked = true;
        }
        request.Headers.ExpectContinue = true;

        using var response = await admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(new Uri($"/api/networks/{slug}", UriKind.Relative))).StatusCode);
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

/// <summary>Limits that need a gateway of their own: small buckets would disturb the other tests on the shared one.</summary>
[Collection(GatewayPlatformCollection.Name)]
public sealed class CallerLimitTests(GatewayPlatform platform)
{
    private static readonly Uri Catalogue = new("/api/networks", UriKind.Relative);
    private const string Hour = "01:00:00";

    [Fact]
    public async Task failed_authentications_from_one_address_are_limited_then_even_a_valid_key_gets_429()
    {
        await using var gateway = await platform.StartGatewayAsync(new Dictionary<string, string?>
        {
            ["RateLimits:FailedAuthentication:TokenLimit"] = "3",
            ["RateLimits:FailedAuthentication:TokensPerPeriod"] = "3",
            ["RateLimits:FailedAuthentication:ReplenishmentPeriod"] = Hour,
        });
        using var guesser = new HttpClient { BaseAddress = gateway.Address };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var guess = new HttpRequestMessage(HttpMethod.Get, Catalogue);
            guess.Headers.Add("X-Api-Key", $"guess-{i}");
            statuses.Add((await guesser.SendAsync(guess)).StatusCode);
        }
        using var valid = new HttpRequestMessage(HttpMethod.Get, Catalogue);
        valid.Headers.Add("X-Api-Key", GatewayPlatform.DevKey);
        using var validAnswer = await guesser.SendAsync(valid);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], statuses.Take(3));
        Assert.All(statuses.Skip(3), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        // A right guess now would look like every other: the address has to wait.
        Assert.Equal(HttpStatusCode.TooManyRequests, validAnswer.StatusCode);
        Assert.True(int.Parse(validAnswer.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("application/problem+json", validAnswer.Content.Headers.ContentType?.MediaType);
        // Public reads without credentials go on.
        Assert.Equal(HttpStatusCode.OK, (await guesser.GetAsync(Catalogue)).StatusCode);
    }

    [Fact]
    public async Task the_default_per_key_limit_applies_to_each_key_without_its_own()
    {
        await using var gateway = await platform.StartGatewayAsync(new Dictionary<string, string?>
        {
            ["RateLimits:ApiKey:TokenLimit"] = "3",
            ["RateLimits:ApiKey:TokensPerPeriod"] = "1",
            ["RateLimits:ApiKey:ReplenishmentPeriod"] = Hour,
        });

        var dev = await StatusesAsync(gateway.Address, c => c.DefaultRequestHeaders.Add("X-Api-Key", GatewayPlatform.DevKey), 4);
        var crm = await StatusesAsync(gateway.Address, c => c.DefaultRequestHeaders.Add("X-Api-Key", GatewayPlatform.CrmKey), 1);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], dev);
        Assert.Equal([HttpStatusCode.OK], crm);
    }

    [Fact]
    public async Task the_per_subject_limit_counts_each_token_subject_on_its_own()
    {
        await using var gateway = await platform.StartGatewayAsync(new Dictionary<string, string?>
        {
            ["RateLimits:User:TokenLimit"] = "3",
            ["RateLimits:User:TokensPerPeriod"] = "1",
            ["RateLimits:User:ReplenishmentPeriod"] = Hour,
        });

        var first = await StatusesAsync(gateway.Address, c => c.DefaultRequestHeaders.Authorization = new("Bearer", DevTokens.ForSubject("subject-one", "integrator")), 4);
        var second = await StatusesAsync(gateway.Address, c => c.DefaultRequestHeaders.Authorization = new("Bearer", DevTokens.ForSubject("subject-two", "integrator")), 1);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], first);
        Assert.Equal([HttpStatusCode.OK], second);
    }

    [Fact]
    public async Task a_trusted_forwarder_gets_a_bucket_per_visitor_it_names_and_nobody_else_is_believed()
    {
        var limits = new Dictionary<string, string?>
        {
            ["RateLimits:Anonymous:TokenLimit"] = "3",
            ["RateLimits:Anonymous:TokensPerPeriod"] = "1",
            ["RateLimits:Anonymous:ReplenishmentPeriod"] = Hour,
        };
        static Action<HttpClient> For(string forwarded) => c => c.DefaultRequestHeaders.Add("X-Forwarded-For", forwarded);

        // Loopback stands for the portal's address here.
        await using (var trusting = await platform.StartGatewayAsync(new Dictionary<string, string?>(limits) { ["TrustedForwarders:Addresses:0"] = "127.0.0.1" }))
        {
            var visitor = await StatusesAsync(trusting.Address, For("203.0.113.7"), 4);
            var another = await StatusesAsync(trusting.Address, For("198.51.100.9"), 1);
            // Only the entry the forwarder added counts: a visitor gains no fresh bucket by sending one of their own first.
            var prefixed = await StatusesAsync(trusting.Address, For("192.0.2.1, 203.0.113.7"), 1);
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], visitor);
            Assert.Equal([HttpStatusCode.OK], another);
            Assert.Equal([HttpStatusCode.TooManyRequests], prefixed);
        }

        // Without trusted forwarders the header is nobody's word: both "visitors" are the one address they come from
        // (whose bucket the start-up's readiness probe has used from too).
        await using var plain = await platform.StartGatewayAsync(limits);
        var first = await StatusesAsync(plain.Address, For("203.0.113.7"), 4);
        var second = await StatusesAsync(plain.Address, For("198.51.100.9"), 1);
        Assert.Equal(HttpStatusCode.TooManyRequests, first[^1]);
        Assert.Equal([HttpStatusCode.TooManyRequests], second);
    }

    private static async Task<List<HttpStatusCode>> StatusesAsync(Uri gateway, Action<HttpClient> credentials, int count)
    {
        using var client = new HttpClient { BaseAddress = gateway };
        credentials(client);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync(Catalogue);
            statuses.Add(response.StatusCode);
        }
        return statuses;
    }

    [Fact]
    public async Task identity_behind_the_gateway_authenticates_its_own_clients_and_keeps_its_own_page_policy()
    {
        using var client = platform.GatewayClient();
        using var token = new HttpRequestMessage(HttpMethod.Post, "/identity/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        // client_secret_basic: an Authorization header that is no bearer token and no API key, meant for identity.
        token.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("no-such-client:wrong")));

        using var refused = await client.SendAsync(token);
        using var page = await client.GetAsync(new Uri("/identity/anmelden", UriKind.Relative));

        // Identity's own OAuth answer, not the gateway's bearer challenge.
        Assert.Equal("invalid_client", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("style-src 'self' 'unsafe-inline'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task through_the_gateway_nobody_takes_over_an_organisation_and_the_public_sees_only_active_members()
    {
        using var anonymous = platform.GatewayClient();
        using var admin = platform.GatewayClient("admin");
        using var integrator = platform.GatewayClient("integrator");
        using var itManager = platform.GatewayClient("network-manager", "it-achse");
        var word = string.Concat(Guid.NewGuid().ToString("N").Take(12).Select(c => (char)('a' + (c % 26))));
        var name = $"Probe {word} GmbH";
        JsonElement application = default;
        await Eventually.SucceedsAsync(async () =>
        {
            using var applied = await anonymous.PostAsJsonAsync(new Uri("/api/members/applications", UriKind.Relative), new
            {
                network = "mema",
                organization = new { name, kind = "company", district = "emsland", town = "Meppen" },
            });
            Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
            application = await applied.Content.ReadFromJsonAsync<JsonElement>();
        });
        var organizationId = application.GetProperty("organizationId").GetGuid();
        var membershipId = application.GetProperty("id").GetGuid();
        var search = new Uri($"/api/members/organizations?q={word}", UriKind.Relative);

        // Pending: not in the public directory, and its application is no integrator's business.
        Assert.Equal(0, (await anonymous.GetFromJsonAsync<JsonElement>(search)).GetProperty("total").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await integrator.GetAsync(new Uri($"/api/members/memberships/{membershipId}", UriKind.Relative))).StatusCode);

        (await admin.PostAsync(new Uri($"/api/members/applications/{membershipId}/approve", UriKind.Relative), null)).EnsureSuccessStatusCode();
        Assert.Equal(1, (await anonymous.GetFromJsonAsync<JsonElement>(search)).GetProperty("total").GetInt64());

        // Applying in its name takes nothing over: anonymous 401, another network's manager 403.
        var takeover = new { network = "it-achse", organizationId };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync(new Uri("/api/members/applications", UriKind.Relative), takeover)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await itManager.PostAsJsonAsync(new Uri("/api/members/applications", UriKind.Relative), takeover)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await itManager.PutAsJsonAsync(new Uri($"/api/members/organizations/{organizationId}", UriKind.Relative), new { name = "Übernommen", kind = "company", district = "emsland", town = "Meppen" })).StatusCode);

        // Paging cannot overflow into page 1.
        using var deep = await anonymous.GetAsync(new Uri("/api/members/organizations?page=2147483647", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, deep.StatusCode);
        Assert.Equal("application/problem+json", deep.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task through_the_gateway_an_erased_organisation_refuses_new_personal_data()
    {
        using var anonymous = platform.GatewayClient();
        using var admin = platform.GatewayClient("admin");
        JsonElement application = default;
        await Eventually.SucceedsAsync(async () =>
        {
            using var applied = await anonymous.PostAsJsonAsync(new Uri("/api/members/applications", UriKind.Relative), new
            {
                network = "mema",
                organization = new { name = "Löschprobe GmbH", kind = "company", district = "emsland", town = "Meppen" },
            });
            Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
            application = await applied.Content.ReadFromJsonAsync<JsonElement>();
        });
        var contacts = new Uri($"/api/members/organizations/{application.GetProperty("organizationId").GetGuid()}/contacts", UriKind.Relative);
        var contact = new { name = "Erika Muster", email = "erika@example.org", consentToPublish = false };
        (await admin.PostAsJsonAsync(contacts, contact)).EnsureSuccessStatusCode();

        (await admin.PostAsync(new Uri($"/api/members/organizations/{application.GetProperty("organizationId").GetGuid()}/erase", UriKind.Relative), null)).EnsureSuccessStatusCode();
        using var afterErase = await admin.PostAsJsonAsync(contacts, contact);

        Assert.Equal(HttpStatusCode.Conflict, afterErase.StatusCode);
        Assert.Equal("application/problem+json", afterErase.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task through_the_gateway_a_site_named_like_a_formula_reaches_the_report_csv_neutralised()
    {
        const string evil = "=HYPERLINK(\"http://evil.example\",\"Lingen\")";
        using var manager = platform.GatewayClient("network-manager", "it-achse");
        using var opened = await manager.PostAsJsonAsync(new Uri("/api/networks/it-achse/sites", UriKind.Relative), new { name = evil, town = "Lingen (Ems)", district = "emsland", opened = "2012-01-01" });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var siteId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var year = DateTime.UtcNow.Year;
        // Funding learns of the site through its event; the budget is accepted once it has.
        await Eventually.SucceedsAsync(async () =>
            (await manager.PutAsJsonAsync(new Uri($"/api/funding/sites/{siteId}/budgets/{year}", UriKind.Relative), new { amountCents = 100_000 })).EnsureSuccessStatusCode());

        var csv = await manager.GetStringAsync(new Uri($"/api/funding/networks/it-achse/report?year={year}&format=csv", UriKind.Relative));

        Assert.Contains(siteId.ToString("D"), csv, StringComparison.Ordinal);
        Assert.Contains("'=HYPERLINK(", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("\"=HYPERLINK(", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",=HYPERLINK(", csv, StringComparison.Ordinal);
    }
}
