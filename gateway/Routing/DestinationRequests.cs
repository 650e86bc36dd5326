using System.Net;
using Yarp.ReverseProxy.Configuration;

namespace EmsAchse.Gateway.Routing;

/// <summary>
/// The gateway's own calls to a destination (readiness, OpenAPI documents) speak the HTTP version the cluster is
/// configured with, as the proxy does: a destination that listens for cleartext HTTP/2 only (the services' gateway
/// endpoint) does not answer HTTP/1.1.
/// </summary>
internal static class DestinationRequests
{
    public static HttpRequestMessage Get(ClusterConfig cluster, Uri address) => new(HttpMethod.Get, address)
    {
        Version = cluster.HttpRequest?.Version ?? HttpVersion.Version11,
        VersionPolicy = cluster.HttpRequest?.VersionPolicy ?? HttpVersionPolicy.RequestVersionOrLower,
    };
}
