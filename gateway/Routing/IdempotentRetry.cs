using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace EmsAchse.Gateway.Routing;

/// <summary>
/// Retries a GET/HEAD/OPTIONS on another destination of the same cluster when the chosen one gave no answer
/// (YARP has no retry of its own). It runs in the proxy pipeline before load balancing, so each attempt is
/// balanced again over the destinations not yet tried, and it takes the failed destination out of rotation at
/// once (passive health) instead of waiting for the failure-rate policy or the next active probe.
/// </summary>
internal sealed class IdempotentRetry(RequestDelegate next, IDestinationHealthUpdater health, IProxyStateLookup proxyState, ILogger<IdempotentRetry> logger)
{
    private static readonly TimeSpan DefaultReactivation = TimeSpan.FromSeconds(10);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsIdempotent(context.Request.Method))
        {
            await next(context);
            return;
        }

        var proxy = context.GetReverseProxyFeature();
        // Load balancing narrows AvailableDestinations to the one it picked; keep the full set for the next attempt.
        var candidates = proxy.AvailableDestinations;
        List<DestinationState>? tried = null;
        while (true)
        {
            await next(context);

            var error = context.GetForwarderErrorFeature();
            var failed = proxy.ProxiedDestination;
            if (error is null || failed is null || !IsUnanswered(error.Error) || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            MarkUnhealthy(proxy.Cluster.Config, failed);
            (tried ??= []).Add(failed);
            var remaining = candidates.Where(d => !tried.Contains(d)).ToList();
            if (remaining.Count == 0)
            {
                return;
            }

            logger.LogWarning("{Method} {Path}: destination {Destination} of cluster {Cluster} gave no answer ({Error}); retrying on another",
                context.Request.Method, context.Request.Path, failed.DestinationId, proxy.Cluster.Config.ClusterId, error.Error);
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.Clear();
            proxy.ProxiedDestination = null;
            proxy.AvailableDestinations = remaining;
        }
    }

    internal static bool IsIdempotent(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    /// <summary>The destination sent no response: refused, reset, unreachable or timed out.</summary>
    internal static bool IsUnanswered(ForwarderError error) =>
        error is ForwarderError.Request or ForwarderError.RequestTimedOut;

    private void MarkUnhealthy(Yarp.ReverseProxy.Configuration.ClusterConfig cluster, DestinationState destination)
    {
        // Only a cluster with passive checks on considers passive health when choosing destinations.
        if (cluster.HealthCheck?.Passive?.Enabled == true && proxyState.TryGetCluster(cluster.ClusterId, out var state))
        {
            health.SetPassive(state, destination, DestinationHealth.Unhealthy, cluster.HealthCheck.Passive.ReactivationPeriod ?? DefaultReactivation);
        }
    }
}
