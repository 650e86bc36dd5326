using System.Security.Claims;
using Dapper;
using EmsAchse.Members.Access;
using EmsAchse.Members.Memberships;
using EmsAchse.Members.Organizations;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmsAchse.Members.Applications;

/// <summary>An application: an existing organisation by id, or a new organisation (with an optional contact person).</summary>
public sealed record ApplicationRequest(string? Network, Guid? OrganizationId, OrganizationRequest? Organization, ContactRequest? Contact = null);

/// <summary>A manager's decision; the reason is optional.</summary>
public sealed record DecisionRequest(string? Reason);

public static class ApplicationsApi
{
    public static RouteGroupBuilder MapApplicationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/members/applications").WithTags("Applications");
        group.MapPost("/", ApplyAsync).AllowAnonymous()
            .WithSummary("Apply for membership")
            .WithDescription("Anyone applies with a new organisation (and optionally a contact person); an existing organisation applies through an admin or a manager responsible for it (401 anonymous, 403 otherwise). An unknown network is 422, a dissolved one 409, a second application or membership 409.");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.Manager)
            .WithSummary("List applications")
            .WithDescription("Admins see every application; a manager those of the networks in the token (or the one in `network`). Filtered by status, paged.");
        group.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.Manager)
            .WithSummary("Read an application")
            .WithDescription("An admin or a manager of the application's network.");
        group.MapPost("/{id:guid}/approve", ApproveAsync).RequireAuthorization(Policies.Manager)
            .WithSummary("Approve an application")
            .WithDescription("An admin or a manager of the network. The membership becomes active today (Berlin time); a decided application is refused (409).");
        group.MapPost("/{id:guid}/reject", RejectAsync).RequireAuthorization(Policies.Manager)
            .WithSummary("Reject an application")
            .WithDescription("An admin or a manager of the network, with an optional reason; a decided application is refused (409).");
        return group;
    }

    private static async Task<Results<Created<MembershipView>, ValidationProblem, UnauthorizedProblem, ForbiddenProblem, UnprocessableProblem, ConflictProblem>> ApplyAsync(ApplicationRequest request, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Network))
        {
            errors["network"] = ["network (a network slug) is required."];
        }
        if ((request.OrganizationId is null) == (request.Organization is null))
        {
            errors["organization"] = ["give either organizationId of an existing organisation, or organization with the new one's details."];
        }
        var facts = request.Organization is { } org ? OrganizationRules.Validate(org, errors, "organization.") : null;
        ContactFacts? contact = null;
        if (request.Contact is { } c)
        {
            if (request.Organization is null)
            {
                errors["contact"] = ["a contact is given with a new organisation only; an existing organisation's contacts are kept by its network manager."];
            }
            else
            {
                contact = OrganizationRules.Validate(c, errors, "contact.");
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The application is invalid.");
        }
        var caller = CallerRights.Of(user);
        if (request.OrganizationId is not null && !caller.IsAdmin && caller.ManagedNetworks.Count == 0)
        {
            // Checked before the organisation is looked up, so the answer tells nothing about it.
            const string how = "An existing organisation applies through an admin or a manager of a network it is an active member of; the public applies with a new organisation (organization and contact).";
            if (user.Identity?.IsAuthenticated != true)
            {
                return new UnauthorizedProblem("Sign in to apply for an existing organisation.", how);
            }
            return new ForbiddenProblem("Not allowed.", how);
        }

        var network = request.Network!.Trim().ToLowerInvariant();
        var membershipId = Guid.NewGuid();
        // A concurrent twin (same new organisation, or the same organisation to the same network) meets the unique index; the retry answers 409.
        return await UniqueViolation.RetryOnceAsync(() => db.WriteAsync<Results<Created<MembershipView>, ValidationProblem, UnauthorizedProblem, ForbiddenProblem, UnprocessableProblem, ConflictProblem>>(async tx =>
        {
            var status = await tx.QuerySingleOrDefaultAsync<string>("SELECT status FROM network_catalogue WHERE slug = @network", new { network });
            if (status is null)
            {
                return new UnprocessableProblem("Unknown network.", $"There is no network '{network}' to apply to.");
            }
            if (status != "active")
            {
                return new ConflictProblem("The network is dissolved.", $"'{network}' is {status} and takes no applications.");
            }
            Guid organizationId;
            string organizationName;
            if (request.OrganizationId is { } existingId)
            {
                var existing = await OrganizationStore.LockAsync(tx, existingId);
                if (existing is null)
                {
                    return new UnprocessableProblem("Unknown organisation.", $"There is no organisation {existingId}.");
                }
                var standings = await MembershipStore.StandingsAsync(tx.Connection, existingId, tx.CancellationToken, tx.Transaction);
                if (OrganizationAccess.Of(caller, standings).RefuseApplicationOnBehalf(existingId) is { } notResponsible)
                {
                    return new ForbiddenProblem("Not allowed.", notResponsible);
                }
                organizationId = existingId;
                organizationName = existing.Name;
                var statuses = await MembershipStore.StatusesAsync(tx, organizationId, network);
                if (MembershipLifecycle.RefuseApplication(statuses, organizationId, network) is { } refusal)
                {
                    return new ConflictProblem("Already a member or applicant.", refusal);
                }
            }
            else
            {
                if (await OrganizationStore.FindDuplicateAsync(tx, facts!) is { } duplicate)
                {
                    return OrganizationsApi.Duplicate(facts!, duplicate);
                }
                organizationId = Guid.NewGuid();
                organizationName = facts!.Name;
                await OrganizationStore.InsertAsync(tx, organizationId, facts);
            }
            var view = await MembershipStore.ApplyAsync(tx, membershipId, organizationId, organizationName, network);
            if (contact is not null)
            {
                // Tied to the application: while it is pending, this contact is all its network's managers see.
                await OrganizationStore.InsertContactAsync(tx, Guid.NewGuid(), organizationId, contact, submittedWith: membershipId);
            }
            return TypedResults.Created($"/api/members/applications/{membershipId}", view);
        }, ct));
    }

    private static async Task<Results<Ok<PagedList<MembershipView>>, ValidationProblem, ForbiddenProblem>> ListAsync(ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct, string? network = null, string? status = null, int? page = null, int? pageSize = null)
    {
        PageRequest.TryCreate(page, pageSize, out var paging, out var errors);
        var statusCode = MembershipStatus.Find(status);
        if (!string.IsNullOrWhiteSpace(status) && statusCode is null)
        {
            errors["status"] = [$"status must be one of: {string.Join(", ", MembershipStatus.All)}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The query is invalid.");
        }
        var slug = string.IsNullOrWhiteSpace(network) ? null : network.Trim().ToLowerInvariant();
        string[] networks;
        if (slug is not null)
        {
            if (user.ForbidUnlessManages(slug) is { } forbidden)
            {
                return forbidden;
            }
            networks = [slug];
        }
        else if (user.IsAdmin())
        {
            networks = [];
        }
        else if (user.IsInRole(Roles.NetworkManager))
        {
            // A manager without ?network= sees the applications of every network the token names.
            networks = user.FindAll(PlatformClaims.Network).Select(c => c.Value.ToLowerInvariant()).Distinct().ToArray();
            if (networks.Length == 0)
            {
                return TypedResults.Ok(new PagedList<MembershipView>([], paging.Page, paging.PageSize, 0));
            }
        }
        else
        {
            return new ForbiddenProblem("Not allowed.", "Applications are seen by admins and network managers only.");
        }
        await using var connection = await db.OpenAsync(ct);
        var filter = new MembershipFilter(null, networks, statusCode, new MembershipVisibility(CallerRights.Of(user)));
        return TypedResults.Ok(await MembershipQueries.ListAsync(connection, db.Engine, filter, paging, ct));
    }

    private static async Task<Results<Ok<MembershipView>, NotFoundProblem, ForbiddenProblem>> GetAsync(Guid id, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var membership = await MembershipQueries.FindAsync(connection, id, ct);
        if (membership is null)
        {
            return NotFound(id);
        }
        if (user.ForbidUnlessManages(membership.Network) is { } forbidden)
        {
            return forbidden;
        }
        return TypedResults.Ok(new MembershipVisibility(CallerRights.Of(user)).Present(membership.ToView()));
    }

    private static Task<Results<Ok<MembershipView>, ValidationProblem, NotFoundProblem, ForbiddenProblem, ConflictProblem>> ApproveAsync(Guid id, DecisionRequest? request, ClaimsPrincipal user, ServiceDatabase db, TimeProvider clock, CancellationToken ct) =>
        DecideAsync(id, request, user, db, MembershipLifecycle.Approve, (tx, m, by, reason) => MembershipStore.ActivateAsync(tx, m, by, reason, BusinessCalendar.Today(clock)), ct);

    private static Task<Results<Ok<MembershipView>, ValidationProblem, NotFoundProblem, ForbiddenProblem, ConflictProblem>> RejectAsync(Guid id, DecisionRequest? request, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct) =>
        DecideAsync(id, request, user, db, MembershipLifecycle.Reject, MembershipStore.RejectAsync, ct);

    private static async Task<Results<Ok<MembershipView>, ValidationProblem, NotFoundProblem, ForbiddenProblem, ConflictProblem>> DecideAsync(
        Guid id, DecisionRequest? request, ClaimsPrincipal user, ServiceDatabase db,
        Func<string, LifecycleStep> step, Func<WriteTransaction, MembershipStore.MembershipRow, string?, string?, Task> apply, CancellationToken ct)
    {
        var reason = string.IsNullOrWhiteSpace(request?.Reason) ? null : request.Reason.Trim();
        return await db.WriteAsync<Results<Ok<MembershipView>, ValidationProblem, NotFoundProblem, ForbiddenProblem, ConflictProblem>>(async tx =>
        {
            var pending = await MembershipStore.LockAsync(tx, id);
            if (pending is null)
            {
                return NotFound(id);
            }
            if (user.ForbidUnlessManages(pending.Network) is { } forbidden)
            {
                return forbidden;
            }
            if (reason is { Length: > MembershipLifecycle.MaxReasonLength })
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = [$"reason may have at most {MembershipLifecycle.MaxReasonLength} characters."] }, title: "The decision is invalid.");
            }
            var decision = step(pending.Status);
            if (!decision.Allowed)
            {
                return new ConflictProblem("Already decided.", $"Application {id}: {decision.Refusal}");
            }
            if (reason is not null && pending.OrganizationErasedAt is { } erasedAt)
            {
                return ErasedOrganization.Conflict(pending.OrganizationId, erasedAt, "takes no free-text reason; decide without one");
            }
            await apply(tx, pending, MembershipsApi.Decider(user), reason);
            return TypedResults.Ok((await MembershipStore.ReadAsync(tx, id))!.ToView());
        }, ct);
    }

    private static NotFoundProblem NotFound(Guid id) => new("Unknown application.", $"There is no application {id}.");
}
