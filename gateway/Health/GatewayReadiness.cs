using System.Net.Sockets;
using EmsAchse.Platform.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using EmsAchse.Gateway.Routing;
using Yarp.ReverseProxy;

namespace EmsAchse.Gateway.Health;

/// <summary>Ready when every cluster has a destination whose /health/ready answers 200.</summary>
internal sealed class ClustersReadyCheck(IProxyStateLookup proxyState, IHttpClientFactory clients) : IHealthCheck
{
    public const string ClientName = "readiness";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        var unready = new List<string>();
        var client = clients.CreateClient(ClientName);
        foreach (var cluster in proxyState.GetClusters())
        {
            var ready = false;
            foreach (var destination in cluster.Destinations.Values)
            {
                var address = new Uri(new Uri(destination.Model.Config.Health ?? destination.Model.Config.Address), "health/ready");
                try
                {
                    using var request = DestinationRequests.Get(cluster.Model.Config, address);
                    using var response = await client.SendAsync(request, cancellationToken);
                    ready |= response.IsSuccessStatusCode;
                    data[$"{cluster.ClusterId}/{destination.DestinationId}"] = (int)response.StatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    data[$"{cluster.ClusterId}/{destination.DestinationId}"] = ex.Message;
                }
            }
            if (!ready)
            {
                unready.Add(cluster.ClusterId);
            }
        }
        return unready.Count == 0
            ? HealthCheckResult.Healthy("every cluster has a ready destination", data)
            : HealthCheckResult.Unhealthy($"no ready destination in: {string.Join(", ", unready)}", data: data);
    }
}

/// <summary>The broker answers when its AMQP port accepts a connection.</summary>
internal sealed class BrokerReachableCheck(IOptions<RabbitMqOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var uri = options.Value.Uri!;
        using var tcp = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await tcp.ConnectAsync(uri.Host, uri.Port > 0 ? uri.Port : 5672, timeout.Token);
            return HealthCheckResult.Healthy($"{uri.Host}:{uri.Port} accepts connections");
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{uri.Host}:{uri.Port} does not answer", ex);
        }
    }
}
