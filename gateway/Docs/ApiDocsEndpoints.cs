using Scalar.AspNetCore;

namespace EmsAchse.Gateway.Docs;

internal static class ApiDocsEndpoints
{
    /// <summary>/openapi/{name}.json per service and the Scalar reference at /docs, both public.</summary>
    public static void MapApiDocs(this WebApplication app)
    {
        app.MapGet("/openapi/{name}.json", async (string name, ApiDocuments documents, CancellationToken cancellationToken) =>
            await documents.GetAsync(name, cancellationToken) is { } json
                ? Results.Text(json, "application/json")
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such API document.", detail: $"Documents: {string.Join(", ", documents.Names)}. A known one is unavailable while its service is down."))
            .AllowAnonymous()
            .ExcludeFromDescription();

        var names = app.Services.GetRequiredService<ApiDocuments>().Names.ToList();
        app.MapScalarApiReference("/docs", o =>
        {
            o.WithTitle("Ems-Achse API");
            o.WithOpenApiRoutePattern("/openapi/{documentName}.json");
            for (var i = 0; i < names.Count; i++)
            {
                o.AddDocument(names[i], $"{char.ToUpperInvariant(names[i][0])}{names[i][1..]} API", isDefault: i == 0);
            }
            o.AddPreferredSecuritySchemes(["bearer", "apiKey"]);
        }).AllowAnonymous();
    }
}
