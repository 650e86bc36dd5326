using EmsAchse.Contracts.Networks;
using EmsAchse.Networks.Networks;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmsAchse.Networks.Sites;

public sealed record DissolveNetworkRequest(DateOnly? DissolvedOn);

/// <summary>
/// Dissolving a network, under the network's path: it closes the network's open sites, so it lives with the sites
/// (a site belongs to a network; the networks capability knows nothing of sites).
/// </summary>
public static class NetworkDissolutionApi
{
    public static RouteGroupBuilder MapNetworkDissolutionApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/networks").WithTags("Networks");
        group.MapPost("/{slug}/dissolve", DissolveAsync).RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Dissolve a network")
            .WithDescription("Admins only. Closes the network's open sites on the same date (default today, Berlin time); the network stays readable.");
        return group;
    }

    /// <summary>Dissolving closes the network's open sites on the same date; the network and its sites stay readable.</summary>
    private static async Task<Results<Ok<NetworkView>, ValidationProblem, NotFoundProblem>> DissolveAsync(string slug, DissolveNetworkRequest? request, ServiceDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var today = BusinessCalendar.Today(clock);
        var dissolvedOn = request?.DissolvedOn ?? today;
        Dictionary<string, string[]>? invalid = null;
        var found = await db.WriteAsync(async tx =>
        {
            var current = await NetworkStore.LockAsync(tx, slug);
            if (current is null)
            {
                return false;
            }
            if (NetworkRules.DissolutionConflict(slug, current.Status) is { } conflict)
            {
                throw new DomainRuleException(conflict);
            }
            var openSites = (await tx.QueryAsync<SiteState>(SiteStore.SelectOpenOfNetwork + tx.ForUpdate, new { slug })).ToList();
            var errors = NetworkRules.ValidateDissolution(dissolvedOn, current.Founded, openSites.Count == 0 ? null : openSites.Max(s => s.Opened), today);
            if (errors.Count > 0)
            {
                invalid = errors;
                return true;
            }

            var version = AggregateVersion.Next(current.Version);
            const string dissolve = "UPDATE networks SET status = 'dissolved', dissolved_on = @dissolvedOn, version = @version, updated_at = @now WHERE slug = @slug";
            await tx.ExecuteAsync(dissolve, new { slug, dissolvedOn, version, now = tx.Now });
            await tx.PublishAsync(NetworkAggregate.Id(slug), new NetworkDissolved(slug, current.Name, dissolvedOn, version, tx.Now));
            foreach (var site in openSites)
            {
                await SiteStore.CloseAsync(tx, site, dissolvedOn);
            }
            return true;
        }, ct);
        if (!found)
        {
            return NetworksApi.NotFound(slug);
        }
        if (invalid is not null)
        {
            return TypedResults.ValidationProblem(invalid, title: "The dissolution is invalid.");
        }
        await using var connection = await db.OpenAsync(ct);
        return TypedResults.Ok((await NetworkQueries.FindAsync(connection, slug, ct))!);
    }
}
