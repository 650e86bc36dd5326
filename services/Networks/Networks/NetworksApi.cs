using System.Text.Json;
using EmsAchse.Contracts.Networks;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmsAchse.Networks.Networks;

public sealed record RegisterNetworkRequest(string? Slug, string? Name, string? Description, IReadOnlyList<string>? Topics, DateOnly? Founded);

public static class NetworksApi
{
    public static RouteGroupBuilder MapNetworksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/networks").WithTags("Networks");
        group.MapGet("/", ListAsync).AllowAnonymous();
        group.MapGet("/{slug}", GetAsync).AllowAnonymous();
        group.MapPost("/", RegisterAsync).RequireAuthorization(Policies.Admin);
        return group;
    }

    private static async Task<IResult> ListAsync(ServiceDatabase db, int? page, int? pageSize, CancellationToken ct)
    {
        if (!PageRequest.TryCreate(page, pageSize, out var paging, out var errors))
        {
            return PageRequest.Invalid(errors);
        }
        await using var connection = await db.OpenAsync(ct);
        var all = await NetworkQueries.ListAsync(connection, ct);
        return TypedResults.Ok(new PagedList<NetworkView>(all.Skip(paging.Offset).Take(paging.PageSize).ToList(), paging.Page, paging.PageSize, all.Count));
    }

    private static async Task<Results<Ok<NetworkView>, ProblemHttpResult>> GetAsync(string slug, ServiceDatabase db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var network = await NetworkQueries.FindAsync(connection, slug, ct);
        return network is null ? NotFound(slug) : TypedResults.Ok(network);
    }

    private static async Task<IResult> RegisterAsync(RegisterNetworkRequest request, ServiceDatabase db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (NetworkSlug.Problem(request.Slug) is { } slugProblem)
        {
            errors["slug"] = [slugProblem];
        }
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            errors["name"] = ["name is required (at most 200 characters)."];
        }
        if (request.Description is { Length: > 4000 })
        {
            errors["description"] = ["description may have at most 4000 characters."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The network is invalid.");
        }

        var slug = request.Slug!;
        var topics = (request.Topics ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).ToArray();
        var registered = await db.WriteAsync(async tx =>
        {
            const string exists = "SELECT COUNT(*) FROM networks WHERE slug = @slug";
            if (await tx.ExecuteScalarAsync<long>(exists, new { slug }) > 0)
            {
                return false;
            }
            const string insert = """
                INSERT INTO networks (slug, name, description, topics, founded, status, version, updated_at)
                VALUES (@slug, @name, @description, @topics, @founded, 'active', 1, @now)
                """;
            await tx.ExecuteAsync(insert, new { slug, name = request.Name!.Trim(), description = request.Description?.Trim() ?? "", topics = JsonSerializer.Serialize(topics), founded = request.Founded, now = tx.Now });
            await tx.PublishAsync(NetworkAggregate.Id(slug), new NetworkRegistered(slug, request.Name.Trim(), request.Description?.Trim() ?? "", topics, request.Founded, "active", 1, tx.Now));
            return true;
        }, ct);
        if (!registered)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The slug is taken.", detail: $"A network with slug '{slug}' exists or existed; slugs are never reused.");
        }
        await using var connection = await db.OpenAsync(ct);
        return TypedResults.Created($"/api/networks/{slug}", await NetworkQueries.FindAsync(connection, slug, ct));
    }

    internal static ProblemHttpResult NotFound(string slug) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown network.", detail: $"There is no network '{slug}'.");
}

/// <summary>Outbox aggregate ids, so the events of one network (or one site) keep their order.</summary>
public static class NetworkAggregate
{
    public static string Id(string slug) => $"network/{slug}";

    public static string SiteId(Guid siteId) => $"site/{siteId}";
}
