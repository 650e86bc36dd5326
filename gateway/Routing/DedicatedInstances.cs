using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;

namespace EmsAchse.Gateway.Routing;

/// <summary>
/// Networks that run their own instance of a service: per network slug, the cluster that serves
/// <c>/api/networks/{slug}/**</c> instead of the shared <c>networks</c> cluster.
/// </summary>
public sealed class DedicatedInstanceOptions
{
    public const string Section = "DedicatedInstances";

    /// <summary>Network slug -> the cluster of its own networks service instance (e.g. it-achse -> networks-it-achse).</summary>
    public Dictionary<string, string> Networks { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The shared cluster whose requests may be moved to a dedicated one.</summary>
    [Required]
    public string SharedNetworksCluster { get; set; } = "networks";
}

/// <summary>
/// Moves a request matched by a shared networks route to the network's dedicated cluster. The route (and so its
/// authorisation policy, timeout and transforms) stays the same; only the cluster changes.
/// </summary>
internal sealed class DedicatedInstanceRouting(RequestDelegate next, IOptionsMonitor<DedicatedInstanceOptions> options, IProxyStateLookup proxyState, ILogger<DedicatedInstanceRouting> logger)
{
    private static readonly PathString NetworksPrefix = "/api/networks";

    public Task InvokeAsync(HttpContext context)
    {
        var dedicated = options.CurrentValue;
        if (dedicated.Networks.Count > 0
            && context.GetReverseProxyFeature().Cluster.Config.ClusterId == dedicated.SharedNetworksCluster
            && SlugOf(context.Request.Path) is { } slug
            && dedicated.Networks.TryGetValue(slug, out var clusterId))
        {
            if (proxyState.TryGetCluster(clusterId, out var cluster))
            {
                context.ReassignProxyRequest(cluster);
            }
            else
            {
                logger.LogError("Network {Slug} names cluster {Cluster}, which is not configured; serving it from the shared cluster", slug, clusterId);
            }
        }
        return next(context);
    }

    /// <summary>The slug in /api/networks/{slug}[/...], or null for the catalogue itself and the umbrella.</summary>
    internal static string? SlugOf(PathString path)
    {
        if (!path.StartsWithSegments(NetworksPrefix, StringComparison.OrdinalIgnoreCase, out var rest) || !rest.HasValue)
        {
            return null;
        }
        var value = rest.Value.AsSpan(1);
        var end = value.IndexOf('/');
        var slug = end < 0 ? value : value[..end];
        return slug.Length == 0 ? null : slug.ToString();
    }
}
