extern alias gateway;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.TestSupport;
using gateway::EmsAchse.Gateway.Security;
using Xunit;

namespace EmsAchse.Gateway.Tests;

/// <summary>Load balancing with failover, dedicated instances, health and docs.</summary>
[Collection(GatewayPlatformCollection.Name)]
public sealed class RoutingTests(GatewayPlatform platform)
{
    private static readonly Uri Catalogue = new("/api/networks", UriKind.Relative);

    [Fact]
    public async Task a_network_with_its_own_instance_is_served_by_it_while_the_others_share_one()
    {
        using var dedicated = new HttpClient { BaseAddress = platform.DedicatedNetworks.Address };
        dedicated.DefaultRequestHeaders.Authorization = new("Bearer", DevTokens.For("admin"));
        (await dedicated.PostAsJsonAsync(Catalogue, new { slug = platform.DedicatedSlug, name = "Eigene Instanz", description = "runs alone" })).EnsureSuccessStatusCode();
        using var gateway = platform.GatewayClient();

        // Only the dedicated instance knows this network; only the shared one knows MEMA.
        var own = await gateway.GetFromJsonAsync<JsonElement>(new Uri($"/api/networks/{platform.DedicatedSlug}", UriKind.Relative));
        var ownSites = await gateway.GetAsync(new Uri($"/api/networks/{platform.DedicatedSlug}/sites", UriKind.Relative));
        var shared = await gateway.GetAsync(new Uri("/api/networks/mema", UriKind.Relative));
        using var sharedDirect = new HttpClient { BaseAddress = platform.Networks.Address };
        var notShared = await sharedDirect.GetAsync(new Uri($"/api/networks/{platform.DedicatedSlug}", UriKind.Relative));

        Assert.Equal("Eigene Instanz", own.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, ownSites.StatusCode);
        Assert.Equal(HttpStatusCode.OK, shared.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notShared.StatusCode);
    }

    [Fact]
    public async Task the_gateway_reaches_the_services_over_cleartext_http2_on_their_gateway_endpoint()
    {
        using var gateway = platform.GatewayClient();
        var before = platform.Members.GatewayEndpointProtocols.Count;

        var directory = await gateway.GetAsync(new Uri("/api/members/organizations", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, directory.StatusCode);
        // The members host records what arrived on its HTTP/2-only port: the proxied request, as HTTP/2.
        var arrived = platform.Members.GatewayEndpointProtocols.Skip(before).ToList();
        Assert.NotEmpty(arrived);
        Assert.All(arrived, protocol => Assert.Equal("HTTP/2", protocol));
    }

    [Fact]
    public async Task an_api_key_caller_reaches_the_services_as_an_integrator_they_accept()
    {
        // The gateway forwards a minted integrator token; the service authenticates it and then judges the write itself.
        var tokens = (InternalTokens)platform.Gateway.Services.GetService(typeof(InternalTokens))!;
        var token = tokens.For(new ApiKeyIdentity("crm", ["integrator"], null));
        using var direct = new HttpClient { BaseAddress = platform.Networks.Address };
        direct.DefaultRequestHeaders.Authorization = new("Bearer", token);

        var write = await direct.PostAsJsonAsync(new Uri("/api/networks/it-achse/sites", UriKind.Relative), new { name = "X", town = "Leer", district = "leer" });

        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
    }

    [Fact]
    public async Task when_one_of_two_instances_dies_during_a_stream_of_gets_only_requests_in_flight_may_fail_and_it_leaves_rotation()
    {
        using var client = platform.GatewayClient();
        using var admin = platform.GatewayClient("admin");
        await Eventually.SucceedsAsync(async () => Assert.Equal(2, await InRotationAsync(admin, "networks")));

        // A request whose response had started when the instance died cannot be retried by any proxy: the caller
        // sees a reset. What the gateway promises: everything that arrives after the death succeeds (a refused
        // connection is retried on the other instance), at most the requests in flight at that moment fail, and the
        // dead destination leaves rotation within the probes' bound.
        const int streams = 4;
        const int perStream = 150;
        var clock = Stopwatch.StartNew();
        var outcomes = new ConcurrentBag<Outcome>();
        var killStarted = TimeSpan.MaxValue;
        var killEnded = TimeSpan.MaxValue;
        var kill = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var leftRotation = Task.Run(async () =>
        {
            await kill.Task;
            while (await InRotationAsync(admin, "networks") != 1)
            {
                await Task.Delay(50);
            }
            return clock.Elapsed - killEnded;
        });

        async Task StreamAsync(int stream)
        {
            for (var i = 0; i < perStream; i++)
            {
                if (stream == 0 && i == 40)
                {
                    killStarted = clock.Elapsed;
                    platform.SecondNetworks.Kill();
                    killEnded = clock.Elapsed;
                    kill.SetResult();
                }
                var started = clock.Elapsed;
                string? failure = null;
                try
                {
                    using var response = await client.GetAsync(Catalogue);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failure = $"{(int)response.StatusCode}";
                    }
                }
                catch (HttpRequestException e)
                {
                    failure = e.Message;
                }
                outcomes.Add(new Outcome(started, clock.Elapsed, failure));
            }
        }
        await Task.WhenAll(Enumerable.Range(0, streams).Select(StreamAsync));

        Assert.True(platform.SecondNetworks.HasExited);
        Assert.Equal(streams * perStream, outcomes.Count);
        var arrivedAfter = outcomes.Where(o => o.Started >= killEnded).ToList();
        Assert.NotEmpty(arrivedAfter);
        Assert.All(arrivedAfter, o => Assert.Null(o.Failure));
        var inFlight = outcomes.Count(o => o.Started < killEnded && o.Ended >= killStarted);
        var failed = outcomes.Where(o => o.Failure is not null).ToList();
        Assert.All(failed, o => Assert.True(o.Started < killEnded && o.Ended >= killStarted, $"failed outside the kill: {o}"));
        Assert.InRange(failed.Count, 0, Math.Min(inFlight, streams));

        // Two failed probes (every 2 s, 1 s timeout) take a destination out; real traffic does it at once.
        var bound = TimeSpan.FromSeconds(2 * (2 + 1));
        var took = await leftRotation.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(took <= bound, $"the dead destination left rotation after {took}, more than {bound}");
        var services = await admin.GetFromJsonAsync<JsonElement>(new Uri("/health/services", UriKind.Relative));
        var dead = Destinations(services, "networks").Single(d => d.GetProperty("id").GetString() == "networks-2");
        Assert.False(dead.GetProperty("inRotation").GetBoolean());
        Assert.Contains("Unhealthy", new[] { dead.GetProperty("active").GetString(), dead.GetProperty("passive").GetString() });
    }

    private sealed record Outcome(TimeSpan Started, TimeSpan Ended, string? Failure);

    [Fact]
    public async Task readiness_liveness_and_the_operator_view_answer()
    {
        using var anonymous = platform.GatewayClient();
        using var admin = platform.GatewayClient("admin");

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
        var readyResponse = await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var readyText = await readyResponse.Content.ReadAsStringAsync();
        var ready = JsonDocument.Parse(readyText).RootElement;
        Assert.Equal(HttpStatusCode.OK, readyResponse.StatusCode);
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
        // The gateway never uses the broker, so its readiness does not depend on it.
        Assert.Equal(["services"], ready.GetProperty("checks").EnumerateObject().Select(c => c.Name));
        // Anonymous callers learn the status, not the destinations' addresses or error texts.
        Assert.DoesNotContain("127.0.0.1", readyText, StringComparison.Ordinal);
        Assert.DoesNotContain("description", readyText, StringComparison.Ordinal);
        var detailed = await admin.GetFromJsonAsync<JsonElement>(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal("every cluster has a ready destination", detailed.GetProperty("checks").GetProperty("services").GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/health/services", UriKind.Relative))).StatusCode);
        using var manager = platform.GatewayClient("network-manager", "it-achse");
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync(new Uri("/health/services", UriKind.Relative))).StatusCode);

        var view = await admin.GetFromJsonAsync<JsonElement>(new Uri("/health/services", UriKind.Relative));
        var clusters = view.GetProperty("clusters").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Equal(["funding", "identity", "members", "networks", "networks-dedicated", "portal"], clusters);
        Assert.Contains(Destinations(view, "members"), d => d.GetProperty("inRotation").GetBoolean());
    }

    [Fact]
    public async Task the_docs_page_and_each_services_document_with_security_schemes_are_public()
    {
        using var anonymous = platform.GatewayClient();

        var page = await anonymous.GetAsync(new Uri("/docs", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        foreach (var name in new[] { "networks", "members", "funding" })
        {
            var document = await anonymous.GetFromJsonAsync<JsonElement>(new Uri($"/openapi/{name}.json", UriKind.Relative));
            Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
            var schemes = document.GetProperty("components").GetProperty("securitySchemes");
            Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
            Assert.Equal("X-Api-Key", schemes.GetProperty("apiKey").GetProperty("name").GetString());
            Assert.Contains(document.GetProperty("paths").EnumerateObject(), p => p.Name.StartsWith($"/api/{name}", StringComparison.Ordinal));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri("/openapi/unknown.json", UriKind.Relative))).StatusCode);
    }

    private static async Task<int> InRotationAsync(HttpClient admin, string cluster)
    {
        var view = await admin.GetFromJsonAsync<JsonElement>(new Uri("/health/services", UriKind.Relative));
        return Destinations(view, cluster).Count(d => d.GetProperty("inRotation").GetBoolean());
    }

    private static JsonElement.ArrayEnumerator Destinations(JsonElement view, string cluster) =>
        view.GetProperty("clusters").EnumerateArray()
            .Single(c => c.GetProperty("id").GetString() == cluster)
            .GetProperty("destinations").EnumerateArray();
}
