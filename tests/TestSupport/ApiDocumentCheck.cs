using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EmsAchse.TestSupport;

/// <summary>
/// What an integrator needs from a service's OpenAPI document: every API endpoint in it, with a summary and a
/// description, a success answer, and a schema for every answer it lists; problems as problem+json; and the
/// problems the pipeline gives (400 for a body, 401/403 behind a policy, 404 for a path that names something).
/// </summary>
public static partial class ApiDocumentCheck
{
    public static async Task<JsonElement> LoadAsync<TProgram>(WebApplicationFactory<TProgram> host)
        where TProgram : class
    {
        using var client = host.CreateClient();
        return await client.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative));
    }

    /// <summary>Every defect found, one line each; empty when the document is complete.</summary>
    public static IReadOnlyList<string> Defects(JsonElement document, IServiceProvider services)
    {
        var defects = new List<string>();
        var paths = document.GetProperty("paths");
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var route = endpoint.RoutePattern.RawText ?? "";
            if (!route.StartsWith("/api", StringComparison.Ordinal) || endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } methods)
            {
                continue;
            }
            var path = Constraint().Replace(route.TrimEnd('/'), "{$1}");
            foreach (var method in methods.HttpMethods)
            {
                var name = $"{method} {path}";
                if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out var operation))
                {
                    defects.Add($"{name}: missing from the document");
                    continue;
                }
                var secured = endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null;
                defects.AddRange(OperationDefects(name, operation, secured, path.Contains('{', StringComparison.Ordinal)).Select(d => $"{name}: {d}"));
            }
        }
        return defects;
    }

    private static IEnumerable<string> OperationDefects(string name, JsonElement operation, bool secured, bool namesSomething)
    {
        foreach (var text in new[] { "summary", "description" })
        {
            if (!operation.TryGetProperty(text, out var value) || string.IsNullOrWhiteSpace(value.GetString()))
            {
                yield return $"no {text}";
            }
        }
        var responses = operation.GetProperty("responses").EnumerateObject().ToDictionary(r => r.Name, r => r.Value);
        if (!responses.Keys.Any(s => s.StartsWith('2')))
        {
            yield return "no success response";
        }
        foreach (var (status, response) in responses)
        {
            if (status == "204")
            {
                continue;
            }
            var mediaType = status.StartsWith('2') ? "application/json" : "application/problem+json";
            if (!response.TryGetProperty("content", out var content) || !content.TryGetProperty(mediaType, out var media)
                || !media.TryGetProperty("schema", out var schema) || !schema.EnumerateObject().Any())
            {
                yield return $"{status} has no {mediaType} schema";
            }
        }
        var expected = new List<string>();
        if (operation.TryGetProperty("requestBody", out _))
        {
            expected.Add("400");
        }
        if (secured)
        {
            expected.AddRange(["401", "403"]);
        }
        if (namesSomething)
        {
            expected.Add("404");
        }
        foreach (var status in expected.Where(s => !responses.ContainsKey(s)))
        {
            yield return $"{status} is not listed";
        }
    }

    [GeneratedRegex(@"\{([^:}]+)(:[^}]*)?\}")]
    private static partial Regex Constraint();
}
