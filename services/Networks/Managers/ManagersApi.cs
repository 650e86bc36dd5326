using System.Security.Claims;
using Dapper;
using EmsAchse.Contracts.Networks;
using EmsAchse.Networks.Networks;
using EmsAchse.Networks.Sites;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmsAchse.Networks.Managers;

public sealed record AddManagerRequest(string? Name, string? Email, string? Phone, Guid? SiteId);

/// <summary>The public view of a manager: name and site only; managers are personal data.</summary>
public sealed record ManagerPublicView(Guid Id, string NetworkSlug, string Name, Guid? SiteId, string? SiteName);

/// <summary>The full view, for an admin or a manager of the same network.</summary>
public sealed record ManagerView(Guid Id, string NetworkSlug, string Name, Guid? SiteId, string? SiteName, string Email, string? Phone, DateTimeOffset AddedAt);

/// <summary>
/// Managers of a network: this service decides who manages which network. Appointing and removing one
/// publishes ManagerAppointed / ManagerRemoved through the outbox, in the same transaction, so the identity
/// service grants and withdraws the sign-in right. A removed manager is kept (without phone) as the tombstone
/// a re-sync re-announces.
/// </summary>
public static class ManagersApi
{
    private sealed class ManagerRow
    {
        public Guid Id { get; init; }
        public string NetworkSlug { get; init; } = "";
        public string Name { get; init; } = "";
        public string Email { get; init; } = "";
        public string? Phone { get; init; }
        public Guid? SiteId { get; init; }
        public string? SiteName { get; init; }
        public DateTimeOffset AddedAt { get; init; }
    }

    private const string Select = """
        SELECT m.id AS Id, m.network_slug AS NetworkSlug, m.name AS Name, m.email AS Email, m.phone AS Phone,
               m.site_id AS SiteId, s.name AS SiteName, m.added_at AS AddedAt
        FROM network_managers m LEFT JOIN sites s ON s.id = m.site_id
        WHERE m.removed_at IS NULL
        """;

    public static RouteGroupBuilder MapManagersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/networks/{slug}/managers").WithTags("Managers");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.AnyRole)
            .WithSummary("List a network's managers")
            .WithDescription("Any signed-in role. An admin or a manager of the network sees e-mail and phone (ManagerView); everyone else sees name and site only (ManagerPublicView). Paged.");
        group.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.AnyRole)
            .WithSummary("Read a manager")
            .WithDescription("One current manager; contact details only for an admin or a manager of the network.");
        group.MapPost("/", AddAsync).RequireAuthorization(Policies.Manager)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Appoint a manager")
            .WithDescription("An admin or a manager of the network. The e-mail address is unique among the network's managers (409); the manager gets the sign-in right for the network.");
        group.MapDelete("/{id:guid}", RemoveAsync).RequireAuthorization(Policies.Manager)
            .WithSummary("Remove a manager")
            .WithDescription("An admin or a manager of the network. Withdraws the sign-in right; the phone number is erased.");
        return group;
    }

    private static async Task<Results<Ok<PagedList<ManagerView>>, Ok<PagedList<ManagerPublicView>>, ValidationProblem, NotFoundProblem>> ListAsync(string slug, int? page, int? pageSize, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        if (!PageRequest.TryCreate(page, pageSize, out var paging, out var errors))
        {
            return PageRequest.Invalid(errors);
        }
        await using var connection = await db.OpenAsync(ct);
        if (!await NetworkStore.ExistsAsync(connection, slug, ct))
        {
            return NetworksApi.NotFound(slug);
        }
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM network_managers WHERE network_slug = @slug AND removed_at IS NULL", new { slug }, cancellationToken: ct));
        var rows = (await connection.QueryAsync<ManagerRow>(new CommandDefinition(
            Select + " AND m.network_slug = @slug ORDER BY m.name, m.id LIMIT @limit OFFSET @offset",
            new { slug, limit = paging.PageSize, offset = paging.Offset }, cancellationToken: ct))).ToList();
        if (user.CanManageNetwork(slug))
        {
            return TypedResults.Ok(new PagedList<ManagerView>(rows.Select(Full).ToList(), paging.Page, paging.PageSize, total));
        }
        return TypedResults.Ok(new PagedList<ManagerPublicView>(rows.Select(Public).ToList(), paging.Page, paging.PageSize, total));
    }

    private static async Task<Results<Ok<ManagerView>, Ok<ManagerPublicView>, NotFoundProblem>> GetAsync(string slug, Guid id, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<ManagerRow>(new CommandDefinition(
            Select + " AND m.network_slug = @slug AND m.id = @id", new { slug, id }, cancellationToken: ct));
        if (row is null)
        {
            return ManagerNotFound(slug, id);
        }
        if (user.CanManageNetwork(slug))
        {
            return TypedResults.Ok(Full(row));
        }
        return TypedResults.Ok(Public(row));
    }

    private static async Task<Results<Created<ManagerView>, ValidationProblem, NotFoundProblem, ForbiddenProblem>> AddAsync(string slug, AddManagerRequest request, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        if (user.ForbidUnlessManages(slug) is { } forbidden)
        {
            return forbidden;
        }
        var errors = ManagerRules.Validate(request.Name, request.Email, request.Phone);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The manager is invalid.");
        }

        var id = Guid.NewGuid();
        var email = request.Email!.Trim();
        var outcome = await db.WriteAsync(async tx =>
        {
            var network = await NetworkStore.LockAsync(tx, slug);
            if (network is null)
            {
                return AddOutcome.UnknownNetwork;
            }
            if (network.Status != NetworkStatus.Active)
            {
                throw new DomainRuleException($"'{slug}' is dissolved and takes no new managers.");
            }
            if (request.SiteId is { } siteId)
            {
                if (await SiteStore.StatusAsync(tx, slug, siteId) != SiteStatus.Open)
                {
                    return AddOutcome.UnknownSite;
                }
            }
            const string taken = "SELECT COUNT(*) FROM network_managers WHERE network_slug = @slug AND lower(email) = lower(@email) AND removed_at IS NULL";
            if (await tx.ExecuteScalarAsync<long>(taken, new { slug, email }) > 0)
            {
                // The message is logged: it names the rule, never the person's e-mail address.
                throw new DomainRuleException($"'{slug}' already has a manager with this e-mail address.");
            }
            const string insert = """
                INSERT INTO network_managers (id, network_slug, name, email, phone, site_id, added_at, version)
                VALUES (@id, @slug, @name, @email, @phone, @siteId, @now, 1)
                """;
            var name = request.Name!.Trim();
            await tx.ExecuteAsync(insert, new
            {
                id,
                slug,
                name,
                email,
                phone = string.IsNullOrWhiteSpace(request.Phone) ? null : request.Phone.Trim(),
                siteId = request.SiteId,
                now = tx.Now,
            });
            await tx.PublishAsync(ManagerAggregate.Id(id), new ManagerAppointed(id, email, name, slug, 1, tx.Now));
            return AddOutcome.Added;
        }, ct);

        switch (outcome)
        {
            case AddOutcome.UnknownNetwork:
                return NetworksApi.NotFound(slug);
            case AddOutcome.UnknownSite:
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["siteId"] = [$"siteId must be an open site of '{slug}'."] },
                    title: "The manager is invalid.");
        }
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleAsync<ManagerRow>(new CommandDefinition(Select + " AND m.id = @id", new { id }, cancellationToken: ct));
        return TypedResults.Created($"/api/networks/{slug}/managers/{id}", Full(row));
    }

    private static async Task<Results<NoContent, NotFoundProblem, ForbiddenProblem>> RemoveAsync(string slug, Guid id, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        if (user.ForbidUnlessManages(slug) is { } forbidden)
        {
            return forbidden;
        }
        var removed = await db.WriteAsync(async tx =>
        {
            const string remove = """
                UPDATE network_managers SET removed_at = @now, version = version + 1, phone = NULL
                WHERE id = @id AND network_slug = @slug AND removed_at IS NULL
                """;
            if (await tx.ExecuteAsync(remove, new { id, slug, now = tx.Now }) == 0)
            {
                return false;
            }
            var manager = (await tx.QuerySingleOrDefaultAsync<ManagerState>(ManagerStore.SelectAll + " WHERE id = @id", new { id }))!;
            await ManagerStore.AnnounceAsync(tx, manager);
            return true;
        }, ct);
        if (!removed)
        {
            return ManagerNotFound(slug, id);
        }
        return TypedResults.NoContent();
    }

    private static ManagerView Full(ManagerRow r) => new(r.Id, r.NetworkSlug, r.Name, r.SiteId, r.SiteName, r.Email, r.Phone, r.AddedAt);

    private static ManagerPublicView Public(ManagerRow r) => new(r.Id, r.NetworkSlug, r.Name, r.SiteId, r.SiteName);

    private static NotFoundProblem ManagerNotFound(string slug, Guid id) => new("Unknown manager.", $"Network '{slug}' has no manager '{id}'.");

    private enum AddOutcome
    {
        Added,
        UnknownNetwork,
        UnknownSite,
    }
}
