using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace EmsAchse.Gateway.Health;

/// <summary>
/// Ready when every cluster has a destination in rotation that the proxy's own active probes found healthy (or, for a
/// cluster without active probes, any destination in rotation). It reads the proxy's state and probes nothing, so a
/// flood of readiness calls costs the services nothing. The gateway never uses the broker, so it is not checked.
/// </summary>
internal sealed class ClustersReadyCheck(IProxyStateLookup proxyState) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var unready = proxyState.GetClusters()
            .Where(c => !IsReady(c))
            .Select(c => c.ClusterId)
            .Order(StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(unready.Count == 0
            ? HealthCheckResult.Healthy("every cluster has a ready destination")
            : HealthCheckResult.Unhealthy($"no ready destination in: {string.Join(", ", unready)}"));
    }

    internal static bool IsReady(ClusterState cluster)
    {
        var available = cluster.DestinationsState.AvailableDestinations;
        var probed = cluster.Model?.Config.HealthCheck?.Active?.Enabled == true;
        return probed
            ? available.Any(d => d.Health.Active == DestinationHealth.Healthy)
            : available.Count > 0;
    }
}
