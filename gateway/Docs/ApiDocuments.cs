using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmsAchse.Gateway.Routing;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;

namespace EmsAchse.Gateway.Docs;

public sealed class ApiDocsOptions : IValidatableObject
{
    public const string Section = "ApiDocs";

    /// <summary>Document name (as in /openapi/{name}.json) -> the cluster whose service produces it.</summary>
    public Dictionary<string, string> Documents { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Where each service serves its document.</summary>
    public string ServicePath { get; set; } = "openapi/v1.json";

    /// <summary>How long a fetched document is served before it is fetched again.</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ServicePath) || !Uri.TryCreate(ServicePath, UriKind.Relative, out _))
        {
            yield return new ValidationResult($"{Section}:ServicePath must be a relative path such as openapi/v1.json (it is '{ServicePath}').", [nameof(ServicePath)]);
        }
        if (CacheFor <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"{Section}:CacheFor must be positive (it is {CacheFor}).", [nameof(CacheFor)]);
        }
        foreach (var name in Documents.Where(d => string.IsNullOrWhiteSpace(d.Value)).Select(d => d.Key))
        {
            yield return new ValidationResult($"{Section}:Documents:{name} must name the cluster that serves the document.", [nameof(Documents)]);
        }
    }
}

/// <summary>
/// Fetches each service's OpenAPI document from a destination in rotation (resilient client: retries, circuit
/// breaker, timeouts), describes the gateway's security schemes in it, and caches it; a failed refresh keeps
/// serving the last good copy.
/// </summary>
internal sealed class ApiDocuments(IProxyStateLookup proxy, IHttpClientFactory clients, IOptions<ApiDocsOptions> options, TimeProvider clock, ILogger<ApiDocuments> logger) : IDisposable
{
    public const string ClientName = "api-docs";

    private readonly Dictionary<string, (string Json, DateTimeOffset Fetched)> _cache = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    public IEnumerable<string> Names => options.Value.Documents.Keys;

    public async Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        if (!options.Value.Documents.TryGetValue(name, out var clusterId))
        {
            return null;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            if (_cache.TryGetValue(name, out var cached) && now - cached.Fetched < options.Value.CacheFor)
            {
                return cached.Json;
            }
            var fetched = await FetchAsync(clusterId, cancellationToken);
            if (fetched is not null)
            {
                _cache[name] = (fetched, now);
                return fetched;
            }
            return _cache.TryGetValue(name, out var stale) ? stale.Json : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string?> FetchAsync(string clusterId, CancellationToken cancellationToken)
    {
        if (!proxy.TryGetCluster(clusterId, out var cluster))
        {
            return null;
        }
        var client = clients.CreateClient(ClientName);
        var destinations = cluster.DestinationsState.AvailableDestinations.Concat(cluster.Destinations.Values).Distinct();
        foreach (var destination in destinations)
        {
            var address = new Uri(new Uri(destination.Model.Config.Address), options.Value.ServicePath);
            try
            {
                using var request = DestinationRequests.Get(cluster.Model.Config, address);
                using var response = await client.SendAsync(request, cancellationToken);
                response.EnsureSuccessStatusCode();
                var document = await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
                if (document is JsonObject root)
                {
                    DescribeSecurity(root);
                    return root.ToJsonString();
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException)
            {
                logger.LogWarning("OpenAPI document of {Cluster} not fetched from {Address}: {Error}", clusterId, address, ex.Message);
            }
        }
        return null;
    }

    /// <summary>The two ways to call through the gateway, and the gateway as the server.</summary>
    internal static void DescribeSecurity(JsonObject document)
    {
        var components = document["components"] as JsonObject ?? [];
        document["components"] = components;
        var schemes = components["securitySchemes"] as JsonObject ?? [];
        components["securitySchemes"] = schemes;
        schemes["bearer"] = new JsonObject
        {
            ["type"] = "http",
            ["scheme"] = "bearer",
            ["bearerFormat"] = "JWT",
            ["description"] = "A JWT with role admin, network-manager (with a network claim per managed slug) or integrator.",
        };
        schemes["apiKey"] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "header",
            ["name"] = "X-Api-Key",
            ["description"] = "An integrator's API key: read-only access.",
        };
        document["security"] = new JsonArray(
            new JsonObject { ["bearer"] = new JsonArray() },
            new JsonObject { ["apiKey"] = new JsonArray() },
            new JsonObject());
        document["servers"] = new JsonArray(new JsonObject { ["url"] = "/", ["description"] = "this gateway" });
    }
}
