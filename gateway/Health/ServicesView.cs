using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace EmsAchse.Gateway.Health;

/// <summary>
/// The operators' view: every cluster and destination with the health the gateway routes by (active probes of
/// /health/ready and passive failures on real traffic). Cheap: it reads the proxy's state and probes nothing.
/// </summary>
internal static class ServicesView
{
    public static IEndpointConventionBuilder MapServicesView(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/health/services", (IProxyStateLookup proxy) => TypedResults.Ok(Describe(proxy)));

    internal static ServicesReport Describe(IProxyStateLookup proxy)
    {
        var clusters = proxy.GetClusters()
            .OrderBy(c => c.ClusterId, StringComparer.Ordinal)
            .Select(cluster =>
            {
                var available = cluster.DestinationsState.AvailableDestinations;
                var destinations = cluster.Destinations.Values
                    .OrderBy(d => d.DestinationId, StringComparer.Ordinal)
                    .Select(d => new DestinationReport(
                        d.DestinationId,
                        d.Model.Config.Address,
                        d.Health.Active.ToString(),
                        d.Health.Passive.ToString(),
                        available.Contains(d),
                        d.ConcurrentRequestCount))
                    .ToList();
                var status = destinations.Count == 0 || !destinations.Any(d => d.InRotation) ? "Unhealthy"
                    : destinations.All(d => d.InRotation) ? "Healthy" : "Degraded";
                return new ClusterReport(cluster.ClusterId, status, destinations.Count(d => d.InRotation), destinations);
            })
            .ToList();
        var overall = clusters.Any(c => c.Status == "Unhealthy") ? "Unhealthy"
            : clusters.Any(c => c.Status == "Degraded") ? "Degraded" : "Healthy";
        return new ServicesReport(overall, clusters);
    }
}

internal sealed record ServicesReport(string Status, IReadOnlyList<ClusterReport> Clusters);

internal sealed record ClusterReport(string Id, string Status, int InRotation, IReadOnlyList<DestinationReport> Destinations);

/// <summary>One destination: Active/Passive are Unknown until probed or failed, Healthy, or Unhealthy.</summary>
internal sealed record DestinationReport(string Id, string Address, string Active, string Passive, bool InRotation, int ConcurrentRequests);
