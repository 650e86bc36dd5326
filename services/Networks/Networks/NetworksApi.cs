using System.Security.Claims;
using System.Text.Json;
using EmsAchse.Contracts.Networks;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmsAchse.Networks.Networks;

public sealed record RegisterNetworkRequest(string? Slug, string? Name, string? Description, IReadOnlyList<string>? Topics, DateOnly? Founded);

/// <summary>PUT replaces the editable entry; the slug never changes.</summary>
public sealed record ChangeNetworkRequest(string? Name, string? Description, IReadOnlyList<string>? Topics, DateOnly? Founded);

public static class NetworksApi
{
    public static RouteGroupBuilder MapNetworksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/networks").WithTags("Networks");
        group.MapGet("/", ListAsync).AllowAnonymous()
            .WithSummary("List the networks")
            .WithDescription("Every network of the alliance, active and dissolved, by name, paged (`page`, `pageSize` at most 200).");
        group.MapGet("/{slug}", GetAsync).AllowAnonymous()
            .WithSummary("Read a network")
            .WithDescription("One network by its slug, with its sites and their funding coverage.");
        group.MapPost("/", RegisterAsync).RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Register a network")
            .WithDescription("Admins only. The slug is chosen once and never reused, even after dissolution (409 when taken).");
        group.MapPut("/{slug}", ChangeAsync).RequireAuthorization(Policies.Manager)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Change a network")
            .WithDescription("Replaces name, description, topics and founding date; an admin or a manager of the network. A dissolved network cannot change (409).");
        return group;
    }

    private static async Task<Results<Ok<PagedList<NetworkView>>, ValidationProblem>> ListAsync(ServiceDatabase db, int? page, int? pageSize, CancellationToken ct)
    {
        if (!PageRequest.TryCreate(page, pageSize, out var paging, out var errors))
        {
            return PageRequest.Invalid(errors);
        }
        await using var connection = await db.OpenAsync(ct);
        var all = await NetworkQueries.ListAsync(connection, ct);
        return TypedResults.Ok(new PagedList<NetworkView>(all.Skip(paging.Offset).Take(paging.PageSize).ToList(), paging.Page, paging.PageSize, all.Count));
    }

    private static async Task<Results<Ok<NetworkView>, NotFoundProblem>> GetAsync(string slug, ServiceDatabase db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var network = await NetworkQueries.FindAsync(connection, slug, ct);
        return network is null ? NotFound(slug) : TypedResults.Ok(network);
    }

    private static async Task<Results<Created<NetworkView>, ValidationProblem>> RegisterAsync(RegisterNetworkRequest request, ServiceDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var errors = NetworkRules.ValidateDetails(request.Name, request.Description, request.Topics, request.Founded, BusinessCalendar.Today(clock));
        if (NetworkSlug.Problem(request.Slug) is { } slugProblem)
        {
            errors["slug"] = [slugProblem];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The network is invalid.");
        }

        var slug = request.Slug!;
        var name = request.Name!.Trim();
        var description = request.Description?.Trim() ?? "";
        var topics = NetworkRules.NormaliseTopics(request.Topics);
        await db.WriteAsync(async tx =>
        {
            // Dissolved networks keep their row, so a taken slug is never handed out again; the
            // conflict clause also answers a concurrent registration of the same slug with 409.
            const string insert = """
                INSERT INTO networks (slug, name, description, topics, founded, status, version, updated_at)
                VALUES (@slug, @name, @description, @topics, @founded, 'active', 1, @now)
                ON CONFLICT (slug) DO NOTHING
                """;
            if (await tx.ExecuteAsync(insert, new { slug, name, description, topics = JsonSerializer.Serialize(topics), founded = request.Founded, now = tx.Now }) == 0)
            {
                throw new DomainRuleException($"A network with slug '{slug}' exists or existed; slugs are never reused.");
            }
            await tx.PublishAsync(NetworkAggregate.Id(slug), new NetworkRegistered(slug, name, description, topics, request.Founded, NetworkStatus.Active, 1, tx.Now));
        }, ct);
        await using var connection = await db.OpenAsync(ct);
        return TypedResults.Created($"/api/networks/{slug}", (await NetworkQueries.FindAsync(connection, slug, ct))!);
    }

    private static async Task<Results<Ok<NetworkView>, ValidationProblem, NotFoundProblem, ForbiddenProblem>> ChangeAsync(string slug, ChangeNetworkRequest request, ClaimsPrincipal user, ServiceDatabase db, TimeProvider clock, CancellationToken ct)
    {
        if (user.ForbidUnlessManages(slug) is { } forbidden)
        {
            return forbidden;
        }
        var errors = NetworkRules.ValidateDetails(request.Name, request.Description, request.Topics, request.Founded, BusinessCalendar.Today(clock));
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The network is invalid.");
        }

        var name = request.Name!.Trim();
        var description = request.Description?.Trim() ?? "";
        var topics = NetworkRules.NormaliseTopics(request.Topics);
        var found = await db.WriteAsync(async tx =>
        {
            var current = await NetworkStore.LockAsync(tx, slug);
            if (current is null)
            {
                return false;
            }
            if (NetworkRules.ChangeConflict(slug, current.Status) is { } conflict)
            {
                throw new DomainRuleException(conflict);
            }
            var version = AggregateVersion.Next(current.Version);
            const string update = """
                UPDATE networks SET name = @name, description = @description, topics = @topics, founded = @founded,
                    version = @version, updated_at = @now
                WHERE slug = @slug
                """;
            await tx.ExecuteAsync(update, new { slug, name, description, topics = JsonSerializer.Serialize(topics), founded = request.Founded, version, now = tx.Now });
            await tx.PublishAsync(NetworkAggregate.Id(slug), new NetworkChanged(slug, name, description, topics, request.Founded, current.Status, version, tx.Now));
            return true;
        }, ct);
        if (!found)
        {
            return NotFound(slug);
        }
        await using var connection = await db.OpenAsync(ct);
        return TypedResults.Ok((await NetworkQueries.FindAsync(connection, slug, ct))!);
    }

    internal static NotFoundProblem NotFound(string slug) => new("Unknown network.", $"There is no network '{slug}'.");
}

/// <summary>Outbox aggregate ids, so the events of one network (or one site) keep their order.</summary>
public static class NetworkAggregate
{
    public static string Id(string slug) => $"network/{slug}";

    public static string SiteId(Guid siteId) => $"site/{siteId}";
}
