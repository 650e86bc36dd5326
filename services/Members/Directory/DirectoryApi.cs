using System.Security.Claims;
using EmsAchse.Members.Access;
using EmsAchse.Members.Organizations;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmsAchse.Members.Directory;

/// <summary>The public member directory: the search over organisations, under the organisations' path.</summary>
public static class DirectoryApi
{
    public const int MaxQueryLength = 200;

    public static RouteGroupBuilder MapDirectoryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/members/organizations").WithTags("Organizations");
        group.MapGet("/", SearchAsync).AllowAnonymous()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Search the member directory")
            .WithDescription("The public directory: organisations with an active membership, by text (`q`), network, district, region, industry and kind, paged. `includeUnlisted=true` is for admins (every organisation) and managers (their networks' applicants); anyone else gets 403.");
        return group;
    }

    private static async Task<Results<Ok<PagedList<OrganizationView>>, ValidationProblem, ForbiddenProblem>> SearchAsync(
        ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct,
        string? q = null, string? network = null, string? district = null, string? region = null,
        string? industry = null, string? kind = null, string? includeUnlisted = null, int? page = null, int? pageSize = null)
    {
        PageRequest.TryCreate(page, pageSize, out var paging, out var errors);
        var audience = DirectoryAudience.Public;
        if (!string.IsNullOrWhiteSpace(includeUnlisted))
        {
            if (!bool.TryParse(includeUnlisted.Trim(), out var unlisted))
            {
                errors["includeUnlisted"] = ["includeUnlisted must be true or false."];
            }
            else if (unlisted)
            {
                if (DirectoryAudience.Unlisted(CallerRights.Of(user)) is not { } staff)
                {
                    return new ForbiddenProblem("Not allowed.", "includeUnlisted=true is for admins (every organisation) and network managers (the applicants to their networks); the public directory lists active members only.");
                }
                audience = staff;
            }
        }
        if (q is { Length: > MaxQueryLength })
        {
            errors["q"] = [$"q may have at most {MaxQueryLength} characters."];
        }
        var districtCode = Resolve(district, Districts.Find(district)?.Code, "district", string.Join(", ", Districts.All.Select(d => d.Code)), errors);
        var regionCode = Resolve(region, Districts.FindRegion(region)?.Code, "region", string.Join(", ", Districts.Regions.Select(r => r.Code)), errors);
        var industryCode = Resolve(industry, OrganizationVocabulary.FindIndustry(industry), "industry", OrganizationVocabulary.Codes(OrganizationVocabulary.Industries), errors);
        var kindCode = Resolve(kind, OrganizationVocabulary.FindKind(kind), "kind", OrganizationVocabulary.Codes(OrganizationVocabulary.Kinds), errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The directory query is invalid.");
        }
        var filter = new DirectoryFilter(
            SearchText.QueryTerms(q),
            string.IsNullOrWhiteSpace(network) ? null : network.Trim().ToLowerInvariant(),
            districtCode, regionCode, industryCode, kindCode, audience);
        await using var connection = await db.OpenAsync(ct);
        return TypedResults.Ok(await DirectoryQuery.SearchAsync(connection, db.Engine, filter, paging, ct));
    }

    private static string? Resolve(string? given, string? code, string field, string allowed, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(given))
        {
            return null;
        }
        if (code is null)
        {
            errors[field] = [$"{field} must be one of: {allowed}."];
        }
        return code;
    }
}
