extern alias gateway;

using System.Net;
using EmsAchse.TestSupport;
using gateway::EmsAchse.Gateway.Health;
using gateway::EmsAchse.Gateway.Limits;
using gateway::EmsAchse.Gateway.Routing;
using gateway::EmsAchse.Gateway.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace EmsAchse.Gateway.Tests;

public sealed class DedicatedInstanceSlugTests
{
    [Theory]
    [InlineData("/api/networks/it-achse", "it-achse")]
    [InlineData("/api/networks/it-achse/sites/1", "it-achse")]
    [InlineData("/api/networks/IT-Achse/", "IT-Achse")]
    [InlineData("/api/networks", null)]
    [InlineData("/api/networks/", null)]
    [InlineData("/api/members/organizations", null)]
    [InlineData("/api/networksx/it-achse", null)]
    public void the_slug_is_the_segment_after_api_networks(string path, string? slug) =>
        Assert.Equal(slug, DedicatedInstanceRouting.SlugOf(new PathString(path)));
}

public sealed class RetryRuleTests
{
    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("OPTIONS", true)]
    [InlineData("POST", false)]
    [InlineData("PUT", false)]
    [InlineData("DELETE", false)]
    public void only_idempotent_reads_are_retried(string method, bool retried) =>
        Assert.Equal(retried, IdempotentRetry.IsIdempotent(method));

    [Theory]
    [InlineData(ForwarderError.Request, true)]
    [InlineData(ForwarderError.RequestTimedOut, true)]
    [InlineData(ForwarderError.ResponseBodyDestination, false)]
    [InlineData(ForwarderError.RequestCanceled, false)]
    [InlineData(ForwarderError.ResponseBodyClient, false)]
    public void only_a_request_without_any_answer_is_retried(ForwarderError error, bool retried) =>
        Assert.Equal(retried, IdempotentRetry.IsUnanswered(error));
}

public sealed class ApiKeyRegistryTests
{
    [Fact]
    public void a_key_is_found_by_its_hash_with_its_roles_and_a_revoked_or_unknown_one_is_not()
    {
        var options = new ApiKeyOptions();
        options.Keys["crm"] = new ApiKeyEntry { Sha256 = ApiKeyRegistry.HashOf("secret-1").ToUpperInvariant() };
        options.Keys["old"] = new ApiKeyEntry { Sha256 = ApiKeyRegistry.HashOf("secret-2"), Revoked = true };
        using var registry = new ApiKeyRegistry(new FixedOptions(options));

        var crm = registry.Find("secret-1");

        Assert.NotNull(crm);
        Assert.Equal("crm", crm.Name);
        Assert.Equal(["integrator"], crm.Roles);
        Assert.Null(registry.Find("secret-2"));
        Assert.Null(registry.Find("secret-3"));
        Assert.Null(registry.Find(""));
    }

    private sealed class FixedOptions(ApiKeyOptions value) : IOptionsMonitor<ApiKeyOptions>
    {
        public ApiKeyOptions CurrentValue => value;

        public ApiKeyOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ApiKeyOptions, string?> listener) => null;
    }
}

/// <summary>Anonymous callers share a bucket per client IP address; a gateway whose backend is down still limits.</summary>
public sealed class AnonymousRateLimitTests
{
    [Fact]
    public async Task anonymous_callers_beyond_the_per_ip_limit_get_429_on_the_api_and_on_health_alike()
    {
        await using var host = new KestrelHost<gateway::Program>(new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:networks:Destinations:networks-1:Address"] = $"http://127.0.0.1:{Ports.Free()}/",
            ["RateLimits:Anonymous:TokenLimit"] = "3",
            ["RateLimits:Anonymous:TokensPerPeriod"] = "1",
            ["RateLimits:Anonymous:ReplenishmentPeriod"] = "00:01:00",
        });
        using var client = new HttpClient { BaseAddress = host.Address };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await client.GetAsync(new Uri("/api/networks", UriKind.Relative))).StatusCode);
        }
        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.All(statuses.Take(3), s => Assert.NotEqual(HttpStatusCode.TooManyRequests, s));
        Assert.All(statuses.Skip(3), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        // Health answers cost something too, so they share the caller's bucket.
        Assert.Equal(HttpStatusCode.TooManyRequests, live.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, ready.StatusCode);
        Assert.Equal("application/problem+json", ready.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class ReadinessFromProxyStateTests
{
    [Fact]
    public async Task readiness_reads_the_proxys_destination_health_and_names_the_cluster_without_a_ready_one()
    {
        var probedHealthy = Cluster("members", activeProbes: true, DestinationHealth.Healthy, DestinationHealth.Unknown);
        var probedUnknown = Cluster("funding", activeProbes: true, DestinationHealth.Unknown);
        var unprobed = Cluster("networks", activeProbes: false, DestinationHealth.Unknown);
        var check = new ClustersReadyCheck(new FixedProxyState(probedHealthy, probedUnknown, unprobed));

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("no ready destination in: funding", result.Description);
    }

    [Fact]
    public void a_probed_cluster_is_ready_only_with_a_healthy_destination_in_rotation()
    {
        Assert.True(ClustersReadyCheck.IsReady(Cluster("a", activeProbes: true, DestinationHealth.Unhealthy, DestinationHealth.Healthy)));
        Assert.False(ClustersReadyCheck.IsReady(Cluster("b", activeProbes: true, DestinationHealth.Unhealthy, DestinationHealth.Unknown)));
        Assert.False(ClustersReadyCheck.IsReady(Cluster("c", activeProbes: true)));
        Assert.False(ClustersReadyCheck.IsReady(Cluster("d", activeProbes: false)));
    }

    private static ClusterState Cluster(string id, bool activeProbes, params DestinationHealth[] health)
    {
        var config = new ClusterConfig { ClusterId = id, HealthCheck = new HealthCheckConfig { Active = new ActiveHealthCheckConfig { Enabled = activeProbes } } };
#pragma warning disable CA2000 // The invoker is never used: nothing is sent.
        var cluster = new ClusterState(id, new ClusterModel(config, new HttpMessageInvoker(new SocketsHttpHandler())));
#pragma warning restore CA2000
        var destinations = health.Select((h, i) =>
        {
            var destination = new DestinationState($"{id}-{i}");
            destination.Health.Active = h;
            return destination;
        }).ToList();
        // As with the HealthyAndUnknown policy: what active probes found unhealthy is out of rotation.
        cluster.DestinationsState = new ClusterDestinationsState(destinations, destinations.Where(d => d.Health.Active != DestinationHealth.Unhealthy).ToList());
        return cluster;
    }

    private sealed class FixedProxyState(params ClusterState[] clusters) : IProxyStateLookup
    {
        public IEnumerable<ClusterState> GetClusters() => clusters;

        public IEnumerable<RouteModel> GetRoutes() => [];

        public bool TryGetCluster(string id, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out ClusterState cluster)
        {
            cluster = clusters.FirstOrDefault(c => c.ClusterId == id);
            return cluster is not null;
        }

        public bool TryGetRoute(string id, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out RouteModel route)
        {
            route = null;
            return false;
        }
    }
}

public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    [InlineData("::1", "::/64")]
    public void ipv4_callers_are_partitioned_by_address_and_ipv6_callers_by_their_64(string address, string partition) =>
        Assert.Equal(partition, ClientAddress.PartitionOf(IPAddress.Parse(address)));
}
