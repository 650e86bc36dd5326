using System.Text.RegularExpressions;
using EmsAchse.Platform.Hosting;
using EmsAchse.TestSupport;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace EmsAchse.Gateway.Tests;

/// <summary>
/// The README's access table is the contract: every endpoint that the services and the gateway actually map is in it
/// with the policy its metadata demands, and no service demands less than the gateway in front of it.
/// </summary>
[Collection(GatewayPlatformCollection.Name)]
public sealed partial class AccessTableTests(GatewayPlatform platform)
{
    [Fact]
    public void every_mapped_endpoint_is_in_the_readme_access_table_with_the_policy_its_metadata_demands()
    {
        var documented = AccessTable.Read();
        var mapped = MappedEndpoints().ToList();
        var problems = new List<string>();

        foreach (var endpoint in mapped)
        {
            if (!documented.TryGetValue(endpoint.Key, out var who))
            {
                problems.Add($"missing from README's access table: {endpoint.Key} (its metadata says: {endpoint.Who}); add the row | {endpoint.Key.Host} | {endpoint.Key.Method} | {endpoint.Key.Path} | {endpoint.Who} |");
            }
            else if (who != endpoint.Who)
            {
                problems.Add($"policy differs for {endpoint.Key}: README says {who}, the endpoint's metadata says {endpoint.Who}");
            }
        }
        var mappedKeys = mapped.Select(e => e.Key).ToHashSet();
        problems.AddRange(documented.Keys.Where(k => !mappedKeys.Contains(k)).Select(k => $"README's access table lists {k}, which no host maps"));

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void no_service_endpoint_demands_less_than_the_gateway_route_in_front_of_it()
    {
        var routes = platform.Gateway.Services.GetRequiredService<IProxyStateLookup>().GetRoutes()
            .OrderBy(r => r.Config.Order ?? 0)
            .ToList();
        var problems = new List<string>();
        var checkedCount = 0;
        foreach (var endpoint in MappedEndpoints().Where(e => e.Key.Host != "gateway" && e.Key.Path.StartsWith("/api/", StringComparison.Ordinal)))
        {
            var path = SamplePath(endpoint.Key.Path);
            var route = routes.FirstOrDefault(r => Matches(r, endpoint.Key.Method, path));
            if (route is null)
            {
                problems.Add($"{endpoint.Key}: no gateway route forwards {endpoint.Key.Method} {path}");
                continue;
            }
            var gateway = GatewayDemand(route, endpoint.Key.Method);
            checkedCount++;
            if (Rank(endpoint.Who) < Rank(gateway))
            {
                problems.Add($"{endpoint.Key} demands {endpoint.Who}, less than the gateway's route '{route.Config.RouteId}' ({gateway}): calling the service directly would get around the gateway");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.True(checkedCount > 30, $"only {checkedCount} service endpoints were compared");
    }

    private IEnumerable<MappedEndpoint> MappedEndpoints() =>
        Endpoints("networks", platform.Networks.Services)
            .Concat(Endpoints("members", platform.Members.Services))
            .Concat(Endpoints("funding", platform.Funding.Services))
            .Concat(Endpoints("gateway", platform.Gateway.Services));

    private static IEnumerable<MappedEndpoint> Endpoints(string host, IServiceProvider services)
    {
        var fallback = services.GetRequiredService<IAuthorizationPolicyProvider>().GetFallbackPolicyAsync().GetAwaiter().GetResult();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            // The gateway's proxied routes are compared with the services' endpoints by the other test.
            if (endpoint.Metadata.GetMetadata<RouteModel>() is not null)
            {
                continue;
            }
            var who = Who(endpoint.Metadata, fallback is not null);
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
            foreach (var method in methods is { Count: > 0 } ? methods : ["any"])
            {
                yield return new MappedEndpoint(new EndpointKey(host, method, Normalise(endpoint.RoutePattern.RawText ?? "")), who);
            }
        }
    }

    /// <summary>What the endpoint's metadata demands, in the README's words.</summary>
    internal static string Who(EndpointMetadataCollection metadata, bool hasFallbackPolicy)
    {
        if (metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return AccessTable.Anonymous;
        }
        var policies = metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
        if (policies.Count == 0)
        {
            return hasFallbackPolicy ? AccessTable.Integrator : AccessTable.Anonymous;
        }
        return policies.Select(p => p switch
        {
            Policies.Admin => AccessTable.Admin,
            Policies.Manager => AccessTable.Manager,
            Policies.AnyRole => AccessTable.Integrator,
            _ => $"policy '{p ?? "default"}'",
        }).MaxBy(Rank)!;
    }

    private static string GatewayDemand(RouteModel route, string method) =>
        string.Equals(route.Config.AuthorizationPolicy, "anonymous", StringComparison.OrdinalIgnoreCase) ? AccessTable.Anonymous
        : HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? AccessTable.Integrator
        : AccessTable.Manager; // the gateway lets only admins and network managers write

    private static bool Matches(RouteModel route, string method, string path)
    {
        var match = route.Config.Match;
        if (match.Methods is { Count: > 0 } methods && !methods.Contains(method, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }
        var matcher = new TemplateMatcher(TemplateParser.Parse(match.Path!.TrimStart('/')), new RouteValueDictionary());
        return matcher.TryMatch(new PathString(path), new RouteValueDictionary());
    }

    private static int Rank(string who) => who switch
    {
        AccessTable.Anonymous => 0,
        AccessTable.Integrator => 1,
        AccessTable.Manager => 2,
        AccessTable.Admin => 3,
        _ => -1,
    };

    private static string Normalise(string pattern)
    {
        var path = Constraint().Replace(pattern, "{$1}");
        path = "/" + path.Trim('/');
        return path;
    }

    // A concrete path for a pattern: a slug, a GUID, a year.
    private static string SamplePath(string pattern) =>
        Parameter().Replace(pattern, m => m.Groups[1].Value switch
        {
            "slug" => "it-achse",
            "year" => "2026",
            "queue" or "name" or "documentName" => "sample",
            _ => "0f8fad5b-d9cb-469f-a165-70867728950e",
        });

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z]+)(?::[^}]*)?\??\}")]
    private static partial Regex Constraint();

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex Parameter();

    internal sealed record EndpointKey(string Host, string Method, string Path)
    {
        public override string ToString() => $"{Host} {Method} {Path}";
    }

    internal sealed record MappedEndpoint(EndpointKey Key, string Who);

    /// <summary>The table under "## Access" in README.md: | host | method | path | who | notes |.</summary>
    internal static class AccessTable
    {
        public const string Anonymous = "anonymous";
        public const string Integrator = "integrator";
        public const string Manager = "manager";
        public const string Admin = "admin";

        public static Dictionary<EndpointKey, string> Read()
        {
            var lines = File.ReadAllLines(Path.Combine(Repository.Root, "README.md"));
            var start = Array.FindIndex(lines, l => l.StartsWith("## Access", StringComparison.Ordinal));
            Assert.True(start >= 0, "README.md has no '## Access' section");
            var rows = new Dictionary<EndpointKey, string>();
            foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
            {
                var cells = line.Split('|', StringSplitOptions.TrimEntries);
                if (cells.Length < 6 || cells[1] is "host" || cells[1].StartsWith("---", StringComparison.Ordinal))
                {
                    continue;
                }
                var key = new EndpointKey(cells[1], cells[2], Normalise(cells[3].Trim('`')));
                Assert.True(rows.TryAdd(key, cells[4]), $"README's access table lists {key} twice");
            }
            Assert.NotEmpty(rows);
            return rows;
        }
    }
}
