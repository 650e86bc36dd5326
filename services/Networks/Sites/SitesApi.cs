using System.Security.Claims;
using EmsAchse.Contracts.Networks;
using EmsAchse.Networks.Networks;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmsAchse.Networks.Sites;

public sealed record OpenSiteRequest(string? Name, string? Town, string? District, string? Address, DateOnly? Opened);

/// <summary>PUT replaces the site's editable details; status and closing go through /close.</summary>
public sealed record ChangeSiteRequest(string? Name, string? Town, string? District, string? Address, DateOnly? Opened);

public sealed record CloseSiteRequest(DateOnly? Closed);

public static class SitesApi
{
    public static RouteGroupBuilder MapSitesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/networks/{slug}/sites").WithTags("Sites");
        group.MapGet("/", ListAsync).AllowAnonymous()
            .WithSummary("List a network's sites")
            .WithDescription("The sites of one network, open and closed, with their funding coverage in basis points, paged.");
        group.MapPost("/", OpenAsync).RequireAuthorization(Policies.Manager)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Open a site")
            .WithDescription("An admin or a manager of the network. The district is a code of the region; an open site's name is unique within its network (409), and a dissolved network takes no sites (409).");
        group.MapGet("/{siteId:guid}", GetAsync).AllowAnonymous()
            .WithSummary("Read a site")
            .WithDescription("One site of a network, with its funding coverage.");
        group.MapPut("/{siteId:guid}", ChangeAsync).RequireAuthorization(Policies.Manager)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Change a site")
            .WithDescription("Replaces the site's name, town, district, address and opening date; a closed site cannot change (409).");
        group.MapPost("/{siteId:guid}/close", CloseAsync).RequireAuthorization(Policies.Manager)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Close a site")
            .WithDescription("Closes the site on the given date (default today, Berlin time), not before it opened; closing twice is refused (409).");
        return group;
    }

    private static async Task<Results<Ok<PagedList<SiteView>>, ValidationProblem, NotFoundProblem>> ListAsync(string slug, int? page, int? pageSize, ServiceDatabase db, CancellationToken ct)
    {
        if (!PageRequest.TryCreate(page, pageSize, out var paging, out var errors))
        {
            return PageRequest.Invalid(errors);
        }
        await using var connection = await db.OpenAsync(ct);
        var network = await NetworkQueries.FindAsync(connection, slug, ct);
        if (network is null)
        {
            return NetworksApi.NotFound(slug);
        }
        return TypedResults.Ok(new PagedList<SiteView>(network.Sites.Skip(paging.Offset).Take(paging.PageSize).ToList(), paging.Page, paging.PageSize, network.Sites.Count));
    }

    private static async Task<Results<Ok<SiteView>, NotFoundProblem>> GetAsync(string slug, Guid siteId, ServiceDatabase db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var site = await NetworkQueries.FindSiteAsync(connection, slug, siteId, ct);
        return site is null ? SiteNotFound(slug, siteId) : TypedResults.Ok(site);
    }

    private static async Task<Results<Created<SiteView>, ValidationProblem, NotFoundProblem, ForbiddenProblem>> OpenAsync(string slug, OpenSiteRequest request, ClaimsPrincipal user, ServiceDatabase db, TimeProvider clock, CancellationToken ct)
    {
        if (user.ForbidUnlessManages(slug) is { } forbidden)
        {
            return forbidden;
        }
        var errors = SiteRules.Validate(request.Name, request.Town, request.District, request.Address);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The site is invalid.");
        }

        var district = Districts.Find(request.District)!;
        var opened = request.Opened ?? BusinessCalendar.Today(clock);
        var site = new SiteOpened(Guid.NewGuid(), slug, request.Name!.Trim(), request.Town!.Trim(), district.Code, Blank(request.Address), SiteStatus.Open, opened, null, 1, clock.GetUtcNow());
        var found = await db.WriteAsync(async tx =>
        {
            var network = await NetworkStore.LockAsync(tx, slug);
            if (network is null)
            {
                return false;
            }
            if (network.Status != NetworkStatus.Active)
            {
                throw new DomainRuleException($"'{slug}' is dissolved and takes no new sites.");
            }
            if (await SiteStore.OpenNameTakenAsync(tx, slug, site.Name, Guid.Empty))
            {
                throw new DomainRuleException(SiteRules.DuplicateName(slug, site.Name));
            }
            const string insert = """
                INSERT INTO sites (id, network_slug, name, town, district, address, status, opened, closed, version)
                VALUES (@SiteId, @NetworkSlug, @Name, @Town, @District, @Address, 'open', @Opened, NULL, 1)
                """;
            await tx.ExecuteAsync(insert, site);
            await tx.PublishAsync(NetworkAggregate.SiteId(site.SiteId), site);
            return true;
        }, ct);
        if (!found)
        {
            return NetworksApi.NotFound(slug);
        }
        return TypedResults.Created($"/api/networks/{slug}/sites/{site.SiteId}", new SiteView(site.SiteId, slug, site.Name, site.Town, site.District, site.Address, SiteStatus.Open, site.Opened, null, 0));
    }

    private static async Task<Results<Ok<SiteView>, ValidationProblem, NotFoundProblem, ForbiddenProblem>> ChangeAsync(string slug, Guid siteId, ChangeSiteRequest request, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        if (user.ForbidUnlessManages(slug) is { } forbidden)
        {
            return forbidden;
        }
        var errors = SiteRules.Validate(request.Name, request.Town, request.District, request.Address);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The site is invalid.");
        }

        var name = request.Name!.Trim();
        var town = request.Town!.Trim();
        var district = Districts.Find(request.District)!.Code;
        var address = Blank(request.Address);
        var found = await db.WriteAsync(async tx =>
        {
            // Renames of two sites of one network are serialised on the network's row, as openings are.
            if (await NetworkStore.LockAsync(tx, slug) is null)
            {
                return false;
            }
            var current = await SiteStore.LockAsync(tx, slug, siteId);
            if (current is null)
            {
                return false;
            }
            if (SiteRules.ChangeConflict(current.Name, current.Status) is { } conflict)
            {
                throw new DomainRuleException(conflict);
            }
            if (await SiteStore.OpenNameTakenAsync(tx, slug, name, siteId))
            {
                throw new DomainRuleException(SiteRules.DuplicateName(slug, name));
            }
            var opened = request.Opened ?? current.Opened;
            var version = AggregateVersion.Next(current.Version);
            const string update = """
                UPDATE sites SET name = @name, town = @town, district = @district, address = @address, opened = @opened, version = @version
                WHERE id = @siteId
                """;
            await tx.ExecuteAsync(update, new { siteId, name, town, district, address, opened, version });
            await tx.PublishAsync(NetworkAggregate.SiteId(siteId), new SiteChanged(siteId, slug, name, town, district, address, current.Status, opened, current.Closed, version, tx.Now));
            return true;
        }, ct);
        if (!found)
        {
            return SiteNotFound(slug, siteId);
        }
        await using var connection = await db.OpenAsync(ct);
        return TypedResults.Ok((await NetworkQueries.FindSiteAsync(connection, slug, siteId, ct))!);
    }

    private static async Task<Results<Ok<SiteView>, ValidationProblem, NotFoundProblem, ForbiddenProblem>> CloseAsync(string slug, Guid siteId, CloseSiteRequest? request, ClaimsPrincipal user, ServiceDatabase db, TimeProvider clock, CancellationToken ct)
    {
        if (user.ForbidUnlessManages(slug) is { } forbidden)
        {
            return forbidden;
        }
        var today = BusinessCalendar.Today(clock);
        var closed = request?.Closed ?? today;
        Dictionary<string, string[]>? invalid = null;
        var found = await db.WriteAsync(async tx =>
        {
            var current = await SiteStore.LockAsync(tx, slug, siteId);
            if (current is null)
            {
                return false;
            }
            if (SiteRules.CloseConflict(current.Name, current.Status, current.Closed) is { } conflict)
            {
                throw new DomainRuleException(conflict);
            }
            var errors = SiteRules.ValidateClosing(current.Opened, closed, today);
            if (errors.Count > 0)
            {
                invalid = errors;
                return true;
            }
            await SiteStore.CloseAsync(tx, current, closed);
            return true;
        }, ct);
        if (!found)
        {
            return SiteNotFound(slug, siteId);
        }
        if (invalid is not null)
        {
            return TypedResults.ValidationProblem(invalid, title: "The closing is invalid.");
        }
        await using var connection = await db.OpenAsync(ct);
        return TypedResults.Ok((await NetworkQueries.FindSiteAsync(connection, slug, siteId, ct))!);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    internal static NotFoundProblem SiteNotFound(string slug, Guid siteId) => new("Unknown site.", $"Network '{slug}' has no site '{siteId}'.");
}
