using System.Security.Claims;
using Dapper;
using EmsAchse.Contracts.Members;
using EmsAchse.Members.Access;
using EmsAchse.Members.Memberships;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmsAchse.Members.Organizations;

/// <summary>What an erasure did: the contacts whose personal data is gone.</summary>
public sealed record ErasureView(Guid OrganizationId, int ErasedContacts, DateTimeOffset ErasedAt, long Version);

public static class OrganizationsApi
{
    public static RouteGroupBuilder MapOrganizationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/members/organizations").WithTags("Organizations");
        group.MapGet("/{id:guid}", GetAsync).AllowAnonymous()
            .WithSummary("Read an organisation")
            .WithDescription("One organisation's facts; one that is nobody's member is 404 for the public.");
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.Manager)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Register an organisation")
            .WithDescription("An admin or a network manager. The same name in the same town is refused (409, `existingId` names the registered one).");
        group.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(Policies.Manager)
            .WithSummary("Change an organisation")
            .WithDescription("An admin, or a manager of a network in which the organisation is an active member. Replaces its facts; a duplicate of another organisation is refused (409).");
        group.MapGet("/{id:guid}/contacts", ContactsAsync).RequireAuthorization(Policies.AnyRole)
            .WithSummary("List an organisation's contacts")
            .WithDescription("Any signed-in role; who sees which contact follows the contact's consent to publish and the caller's networks.");
        group.MapPost("/{id:guid}/contacts", AddContactAsync).RequireAuthorization(Policies.Manager)
            .WithSummary("Add a contact")
            .WithDescription("An admin, or a manager responsible for the organisation. An erased organisation takes no new contacts (409).");
        group.MapGet("/{id:guid}/export", ExportAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Export an organisation's data")
            .WithDescription("Admins only: everything held about the organisation, its contacts and memberships (a data subject's access request).");
        group.MapPost("/{id:guid}/erase", EraseAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Erase an organisation's personal data")
            .WithDescription("Admins only. Deletes the contacts and the free-text reasons; business facts and membership history stay.");
        return group;
    }

    private static async Task<Results<Ok<OrganizationView>, NotFoundProblem>> GetAsync(Guid id, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var organization = await OrganizationStore.FindAsync(connection, db.Engine, id, ct);
        // An organisation that is nobody's member is no business of the public: it does not exist for them.
        if (organization is null || !OrganizationAccess.Of(CallerRights.Of(user), await MembershipStore.StandingsAsync(connection, id, ct)).Visible)
        {
            return NotFound(id);
        }
        return TypedResults.Ok(organization);
    }

    private static async Task<Results<Created<OrganizationView>, ValidationProblem, ForbiddenProblem, ConflictProblem>> CreateAsync(OrganizationRequest request, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        if (!user.IsAdmin() && !user.IsInRole(Roles.NetworkManager))
        {
            return Forbidden("Only an admin or a network manager registers organisations; the public applies for membership instead.");
        }
        var errors = new Dictionary<string, string[]>();
        var facts = OrganizationRules.Validate(request, errors);
        if (facts is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The organisation is invalid.");
        }
        var id = Guid.NewGuid();
        return await UniqueViolation.RetryOnceAsync(() => db.WriteAsync<Results<Created<OrganizationView>, ValidationProblem, ForbiddenProblem, ConflictProblem>>(async tx =>
        {
            if (await OrganizationStore.FindDuplicateAsync(tx, facts) is { } existing)
            {
                return Duplicate(facts, existing);
            }
            await OrganizationStore.InsertAsync(tx, id, facts);
            await tx.RecordChangeAsync("organization.registered", "organization", id.ToString());
            var view = await OrganizationStore.FindAsync(tx.Connection, tx.Engine, id, tx.CancellationToken, tx.Transaction);
            return TypedResults.Created($"/api/members/organizations/{id}", view!);
        }, ct));
    }

    private static async Task<Results<Ok<OrganizationView>, ValidationProblem, NotFoundProblem, ForbiddenProblem, ConflictProblem>> UpdateAsync(Guid id, OrganizationRequest request, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var facts = OrganizationRules.Validate(request, errors);
        return await UniqueViolation.RetryOnceAsync(() => db.WriteAsync<Results<Ok<OrganizationView>, ValidationProblem, NotFoundProblem, ForbiddenProblem, ConflictProblem>>(async tx =>
        {
            var current = await OrganizationStore.LockAsync(tx, id);
            if (current is null)
            {
                return NotFound(id);
            }
            if (await ForbidUnlessResponsibleAsync(user, tx, id) is { } forbidden)
            {
                return forbidden;
            }
            if (facts is null)
            {
                return TypedResults.ValidationProblem(errors, title: "The organisation is invalid.");
            }
            if (await OrganizationStore.FindDuplicateAsync(tx, facts, id) is { } existing)
            {
                return Duplicate(facts, existing);
            }
            var version = current.Version + 1;
            await OrganizationStore.UpdateAsync(tx, id, facts, version);
            if (OrganizationRules.ChangesWhatOthersCopy(current.Name, current.Kind, current.District, facts))
            {
                await tx.PublishAsync(OrganizationAggregate.Id(id), new OrganizationUpdated(id, facts.Name, facts.Kind, facts.District, version, tx.Now));
            }
            return TypedResults.Ok((await OrganizationStore.FindAsync(tx.Connection, tx.Engine, id, tx.CancellationToken, tx.Transaction))!);
        }, ct));
    }

    private static async Task<Results<Ok<List<ContactView>>, NotFoundProblem>> ContactsAsync(Guid id, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM organizations WHERE id = @id", new { id }, cancellationToken: ct)) == 0)
        {
            return NotFound(id);
        }
        var access = OrganizationAccess.Of(CallerRights.Of(user), await MembershipStore.StandingsAsync(connection, id, ct));
        if (!access.Visible)
        {
            return NotFound(id);
        }
        var contacts = await OrganizationStore.VisibleContactsAsync(connection, db.Engine, id, access, ct);
        return TypedResults.Ok(contacts.Select(c => c.ToView()).ToList());
    }

    private static async Task<Results<Created<ContactView>, ValidationProblem, NotFoundProblem, ForbiddenProblem, ConflictProblem>> AddContactAsync(Guid id, ContactRequest request, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var contact = OrganizationRules.Validate(request, errors);
        var contactId = Guid.NewGuid();
        return await db.WriteAsync<Results<Created<ContactView>, ValidationProblem, NotFoundProblem, ForbiddenProblem, ConflictProblem>>(async tx =>
        {
            var organization = await OrganizationStore.LockAsync(tx, id);
            if (organization is null)
            {
                return NotFound(id);
            }
            if (await ForbidUnlessResponsibleAsync(user, tx, id) is { } forbidden)
            {
                return forbidden;
            }
            if (contact is null)
            {
                return TypedResults.ValidationProblem(errors, title: "The contact is invalid.");
            }
            if (organization.ErasedAt is { } erasedAt)
            {
                return ErasedOrganization.Conflict(id, erasedAt, "takes no new contacts");
            }
            await OrganizationStore.InsertContactAsync(tx, contactId, id, contact);
            // The organisation's id, never the contact's name: an erase leaves nothing personal in the records.
            await tx.RecordChangeAsync("contact.added", "organization", id.ToString());
            return TypedResults.Created(
                $"/api/members/organizations/{id}/contacts/{contactId}",
                new ContactView(contactId, contact.Name, contact.Email, contact.Phone, contact.Role, contact.ConsentToPublish));
        }, ct);
    }

    private static async Task<Results<Ok<OrganizationExport>, NotFoundProblem>> ExportAsync(Guid id, ServiceDatabase db, TimeProvider clock, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var export = await OrganizationExport.ReadAsync(connection, db.Engine, id, clock.GetUtcNow(), ct);
        if (export is null)
        {
            return NotFound(id);
        }
        return TypedResults.Ok(export);
    }

    private static async Task<Results<Ok<ErasureView>, NotFoundProblem>> EraseAsync(Guid id, ServiceDatabase db, CancellationToken ct)
    {
        var result = await db.WriteAsync<Results<Ok<ErasureView>, NotFoundProblem>>(async tx =>
        {
            var current = await OrganizationStore.LockAsync(tx, id);
            if (current is null)
            {
                return NotFound(id);
            }
            // Business facts and membership history stay; the contacts and the free-text reasons (which can name people) go.
            var erased = await tx.ExecuteAsync("DELETE FROM contacts WHERE organization_id = @id", new { id });
            await MembershipStore.EraseReasonsAsync(tx, id);
            var version = current.Version + 1;
            await tx.ExecuteAsync("UPDATE organizations SET erased_at = @now, updated_at = @now, version = @version WHERE id = @id", new { id, now = tx.Now, version });
            await tx.PublishAsync(OrganizationAggregate.Id(id), new OrganizationErased(id, version, tx.Now));
            return TypedResults.Ok(new ErasureView(id, erased, tx.Now, version));
        }, ct);
        if (db.Engine == DatabaseEngine.Sqlite)
        {
            // secure_delete zeroes the erased rows in the new page versions; the old ones in the write-ahead log go with the checkpoint.
            await using var connection = await db.OpenAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA wal_checkpoint(TRUNCATE)", cancellationToken: ct));
        }
        return result;
    }

    /// <summary>An admin, or a manager of a network in which the organisation is an active member (see <see cref="OrganizationAccess"/>).</summary>
    internal static async Task<ForbiddenProblem?> ForbidUnlessResponsibleAsync(ClaimsPrincipal user, WriteTransaction tx, Guid organizationId)
    {
        var standings = await MembershipStore.StandingsAsync(tx.Connection, organizationId, tx.CancellationToken, tx.Transaction);
        return OrganizationAccess.Of(CallerRights.Of(user), standings).Responsible
            ? null
            : Forbidden($"Only an admin or a manager of a network in which organisation {organizationId} is an active member may change it.");
    }

    internal static ConflictProblem Duplicate(OrganizationFacts facts, Guid existing) =>
        new(
            "The organisation is already registered.",
            $"'{facts.Name}' in {facts.Town} is already registered as organisation {existing}.",
            new Dictionary<string, object?> { ["existingId"] = existing });

    internal static NotFoundProblem NotFound(Guid id) => new("Unknown organisation.", $"There is no organisation {id}.");

    private static ForbiddenProblem Forbidden(string detail) => new("Not allowed.", detail);
}

/// <summary>Outbox aggregate ids, so the events of one organisation keep their order.</summary>
public static class OrganizationAggregate
{
    public static string Id(Guid organizationId) => $"organization/{organizationId}";
}
