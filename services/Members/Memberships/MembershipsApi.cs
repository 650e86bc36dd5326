using System.Security.Claims;
using EmsAchse.Members.Access;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmsAchse.Members.Memberships;

/// <summary>Ending a membership: its last day (today if not given) and an optional reason.</summary>
public sealed record EndMembershipRequest(DateOnly? Until, string? Reason);

public static class MembershipsApi
{
    /// <summary>A part of a name, not a document: longer is a mistake (or an attempt at a costly scan).</summary>
    public const int MaxNameQueryLength = 200;

    public static RouteGroupBuilder MapMembershipsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/members/memberships").WithTags("Memberships");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.AnyRole)
            .WithSummary("List memberships")
            .WithDescription("Any signed-in role, filtered by organisation, network, status and a part of the organisation's name (`q`, folded as the directory folds it), paged. Admins see every membership; managers also the pending and refused ones of their networks; integrators active and ended ones.");
        group.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.AnyRole)
            .WithSummary("Read a membership")
            .WithDescription("One membership; one the caller may not see is answered 404, as if it did not exist.");
        group.MapPost("/{id:guid}/end", EndAsync).RequireAuthorization(Policies.Manager)
            .WithSummary("End a membership")
            .WithDescription("An admin or a manager of the membership's network. The last day defaults to today (Berlin time); only an active membership ends (409); an erased organisation's membership ends without a reason (409).");
        return group;
    }

    private static async Task<Results<Ok<PagedList<MembershipView>>, ValidationProblem>> ListAsync(ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct, Guid? organization = null, string? network = null, string? status = null, string? q = null, int? page = null, int? pageSize = null)
    {
        PageRequest.TryCreate(page, pageSize, out var paging, out var errors);
        if (q is { Length: > MaxNameQueryLength })
        {
            errors["q"] = [$"q may have at most {MaxNameQueryLength} characters."];
        }
        var statusCode = MembershipStatus.Find(status);
        if (!string.IsNullOrWhiteSpace(status) && statusCode is null)
        {
            errors["status"] = [$"status must be one of: {string.Join(", ", MembershipStatus.All)}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The query is invalid.");
        }
        string[] networks = string.IsNullOrWhiteSpace(network) ? [] : [network.Trim().ToLowerInvariant()];
        await using var connection = await db.OpenAsync(ct);
        return TypedResults.Ok(await MembershipQueries.ListAsync(connection, db.Engine, new MembershipFilter(organization, networks, statusCode, new MembershipVisibility(CallerRights.Of(user)), q), paging, ct));
    }

    private static async Task<Results<Ok<MembershipView>, NotFoundProblem>> GetAsync(Guid id, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var membership = await MembershipQueries.FindAsync(connection, id, ct);
        var visibility = new MembershipVisibility(CallerRights.Of(user));
        if (membership is null || !visibility.CanSee(membership.Network, membership.Status))
        {
            return NotFound(id);
        }
        return TypedResults.Ok(visibility.Present(membership.ToView()));
    }

    private static async Task<Results<Ok<MembershipView>, ValidationProblem, NotFoundProblem, ForbiddenProblem, ConflictProblem>> EndAsync(Guid id, EndMembershipRequest? request, ClaimsPrincipal user, ServiceDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var today = BusinessCalendar.Today(clock);
        var until = request?.Until ?? today;
        var reason = string.IsNullOrWhiteSpace(request?.Reason) ? null : request.Reason.Trim();
        return await db.WriteAsync<Results<Ok<MembershipView>, ValidationProblem, NotFoundProblem, ForbiddenProblem, ConflictProblem>>(async tx =>
        {
            var membership = await MembershipStore.LockAsync(tx, id);
            if (membership is null)
            {
                return NotFound(id);
            }
            if (user.ForbidUnlessManages(membership.Network) is { } forbidden)
            {
                return forbidden;
            }
            var errors = new Dictionary<string, string[]>();
            if (reason is { Length: > MembershipLifecycle.MaxReasonLength })
            {
                errors["reason"] = [$"reason may have at most {MembershipLifecycle.MaxReasonLength} characters."];
            }
            if (MembershipLifecycle.RefuseEndDate(membership.Since, until, today) is { } dateRefusal)
            {
                errors["until"] = [dateRefusal];
            }
            var step = MembershipLifecycle.End(membership.Status);
            if (!step.Allowed)
            {
                return new ConflictProblem("The membership is not active.", $"Membership {id}: {step.Refusal}");
            }
            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors, title: "The end of the membership is invalid.");
            }
            if (reason is not null && membership.OrganizationErasedAt is { } erasedAt)
            {
                return ErasedOrganization.Conflict(membership.OrganizationId, erasedAt, "takes no free-text reason; end the membership without one");
            }
            await MembershipStore.EndAsync(tx, membership, Decider(user), reason, until);
            return TypedResults.Ok((await MembershipStore.ReadAsync(tx, id))!.ToView());
        }, ct);
    }

    /// <summary>Who decided or ended a membership, as the records name them.</summary>
    internal static string? Decider(ClaimsPrincipal user) => user.Identity?.Name ?? user.FindFirst("sub")?.Value;

    private static NotFoundProblem NotFound(Guid id) => new("Unknown membership.", $"There is no membership {id}.");
}
