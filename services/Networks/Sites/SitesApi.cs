using System.Security.Claims;
using EmsAchse.Contracts.Networks;
using EmsAchse.Networks.Networks;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;

namespace EmsAchse.Networks.Sites;

public sealed record OpenSiteRequest(string? Name, string? Town, string? District, string? Address, DateOnly? Opened);

public static class SitesApi
{
    public static RouteGroupBuilder MapSitesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/networks/{slug}/sites").WithTags("Sites");
        group.MapGet("/", ListAsync).AllowAnonymous();
        group.MapPost("/", OpenAsync).RequireAuthorization(Policies.AnyRole);
        return group;
    }

    private static async Task<IResult> ListAsync(string slug, ServiceDatabase db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var network = await NetworkQueries.FindAsync(connection, slug, ct);
        return network is null ? NetworksApi.NotFound(slug) : TypedResults.Ok(network.Sites);
    }

    private static async Task<IResult> OpenAsync(string slug, OpenSiteRequest request, ClaimsPrincipal user, ServiceDatabase db, TimeProvider clock, CancellationToken ct)
    {
        if (user.ForbidUnlessManages(slug) is { } forbidden)
        {
            return forbidden;
        }
        var errors = SiteRules.Validate(request.Name, request.Town, request.District);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The site is invalid.");
        }

        var district = Districts.Find(request.District)!;
        var opened = request.Opened ?? BusinessCalendar.Today(clock);
        var site = new SiteOpened(Guid.NewGuid(), slug, request.Name!.Trim(), request.Town!.Trim(), district.Code, request.Address?.Trim(), "open", opened, null, 1, clock.GetUtcNow());
        var outcome = await db.WriteAsync(async tx =>
        {
            var status = await tx.QuerySingleOrDefaultAsync<string>("SELECT status FROM networks WHERE slug = @slug", new { slug });
            if (status is null)
            {
                return OpenOutcome.UnknownNetwork;
            }
            if (status != "active")
            {
                return OpenOutcome.NetworkDissolved;
            }
            const string duplicate = "SELECT COUNT(*) FROM sites WHERE network_slug = @slug AND lower(name) = lower(@name) AND status = 'open'";
            if (await tx.ExecuteScalarAsync<long>(duplicate, new { slug, name = site.Name }) > 0)
            {
                return OpenOutcome.DuplicateName;
            }
            const string insert = """
                INSERT INTO sites (id, network_slug, name, town, district, address, status, opened, closed, version)
                VALUES (@SiteId, @NetworkSlug, @Name, @Town, @District, @Address, 'open', @Opened, NULL, 1)
                """;
            await tx.ExecuteAsync(insert, site);
            await tx.PublishAsync(NetworkAggregate.SiteId(site.SiteId), site);
            return OpenOutcome.Opened;
        }, ct);

        return outcome switch
        {
            OpenOutcome.UnknownNetwork => NetworksApi.NotFound(slug),
            OpenOutcome.NetworkDissolved => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The network is dissolved.", detail: $"'{slug}' is dissolved and takes no new sites."),
            OpenOutcome.DuplicateName => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A site of that name is open.", detail: $"'{slug}' already has an open site named '{site.Name}'."),
            _ => TypedResults.Created($"/api/networks/{slug}/sites/{site.SiteId}", new SiteView(site.SiteId, slug, site.Name, site.Town, site.District, site.Address, "open", site.Opened, null, 0)),
        };
    }

    private enum OpenOutcome
    {
        Opened,
        UnknownNetwork,
        NetworkDissolved,
        DuplicateName,
    }
}

/// <summary>What a site must satisfy: a name, a plausible town, one of the alliance's districts.</summary>
public static class SiteRules
{
    public static Dictionary<string, string[]> Validate(string? name, string? town, string? district)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 120)
        {
            errors["name"] = ["name is required (at most 120 characters)."];
        }
        if (string.IsNullOrWhiteSpace(town) || town.Trim().Length is < 2 or > 80 || !town.Any(char.IsLetter) || town.Any(char.IsControl))
        {
            errors["town"] = ["town must be a place name of 2-80 characters."];
        }
        if (Districts.Find(district) is null)
        {
            errors["district"] = [$"district must be one of: {string.Join(", ", Districts.All.Select(d => d.Code))}."];
        }
        return errors;
    }
}
