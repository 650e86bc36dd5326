using System.Security.Claims;
using Dapper;
using EmsAchse.Contracts.Members;
using EmsAchse.Members.Access;
using EmsAchse.Members.Directory;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmsAchse.Members.Organizations;

/// <summary>What an erasure did: the contacts whose personal data is gone.</summary>
public sealed record ErasureView(Guid OrganizationId, int ErasedContacts, DateTimeOffset ErasedAt, long Version);

public static class OrganizationsApi
{
    public const int MaxQueryLength = 200;

    public static RouteGroupBuilder MapOrganizationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/members/organizations").WithTags("Organizations");
        group.MapGet("/", SearchAsync).AllowAnonymous();
        group.MapGet("/{id:guid}", GetAsync).AllowAnonymous();
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.Manager);
        group.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(Policies.Manager);
        group.MapGet("/{id:guid}/contacts", ContactsAsync).RequireAuthorization(Policies.AnyRole);
        group.MapPost("/{id:guid}/contacts", AddContactAsync).RequireAuthorization(Policies.Manager);
        group.MapGet("/{id:guid}/export", ExportAsync).RequireAuthorization(Policies.Admin);
        group.MapPost("/{id:guid}/erase", EraseAsync).RequireAuthorization(Policies.Admin);
        return group;
    }

    private static async Task<IResult> SearchAsync(
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
                    return Forbidden("includeUnlisted=true is for admins (every organisation) and network managers (the applicants to their networks); the public directory lists active members only.");
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

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var organization = await OrganizationStore.FindAsync(connection, db.Engine, id, ct);
        // An organisation that is nobody's member is no business of the public: it does not exist for them.
        if (organization is null || !OrganizationAccess.Of(CallerRights.Of(user), await OrganizationStore.StandingsAsync(connection, id, ct)).Visible)
        {
            return NotFound(id);
        }
        return TypedResults.Ok(organization);
    }

    private static async Task<IResult> CreateAsync(OrganizationRequest request, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
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
        return await UniqueViolation.RetryOnceAsync(() => db.WriteAsync<IResult>(async tx =>
        {
            if (await OrganizationStore.FindDuplicateAsync(tx, facts) is { } existing)
            {
                return Duplicate(facts, existing);
            }
            await OrganizationStore.InsertAsync(tx, id, facts);
            await tx.RecordChangeAsync("organization.registered", "organization", id.ToString());
            var view = await OrganizationStore.FindAsync(tx.Connection, tx.Engine, id, tx.CancellationToken, tx.Transaction);
            return TypedResults.Created($"/api/members/organizations/{id}", view);
        }, ct));
    }

    private static async Task<IResult> UpdateAsync(Guid id, OrganizationRequest request, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var facts = OrganizationRules.Validate(request, errors);
        return await UniqueViolation.RetryOnceAsync(() => db.WriteAsync<IResult>(async tx =>
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
            return TypedResults.Ok(await OrganizationStore.FindAsync(tx.Connection, tx.Engine, id, tx.CancellationToken, tx.Transaction));
        }, ct));
    }

    private static async Task<IResult> ContactsAsync(Guid id, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM organizations WHERE id = @id", new { id }, cancellationToken: ct)) == 0)
        {
            return NotFound(id);
        }
        var access = OrganizationAccess.Of(CallerRights.Of(user), await OrganizationStore.StandingsAsync(connection, id, ct));
        if (!access.Visible)
        {
            return NotFound(id);
        }
        var contacts = await OrganizationStore.VisibleContactsAsync(connection, db.Engine, id, access, ct);
        return TypedResults.Ok(contacts.Select(c => c.ToView()).ToList());
    }

    private static async Task<IResult> AddContactAsync(Guid id, ContactRequest request, ClaimsPrincipal user, ServiceDatabase db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var contact = OrganizationRules.Validate(request, errors);
        var contactId = Guid.NewGuid();
        return await db.WriteAsync<IResult>(async tx =>
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
                return Erased(id, erasedAt, "takes no new contacts");
            }
            await OrganizationStore.InsertContactAsync(tx, contactId, id, contact);
            // The organisation's id, never the contact's name: an erase leaves nothing personal in the records.
            await tx.RecordChangeAsync("contact.added", "organization", id.ToString());
            return TypedResults.Created(
                $"/api/members/organizations/{id}/contacts/{contactId}",
                new ContactView(contactId, contact.Name, contact.Email, contact.Phone, contact.Role, contact.ConsentToPublish));
        }, ct);
    }

    private static async Task<IResult> ExportAsync(Guid id, ServiceDatabase db, TimeProvider clock, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var export = await OrganizationExport.ReadAsync(connection, db.Engine, id, clock.GetUtcNow(), ct);
        return export is null ? NotFound(id) : TypedResults.Ok(export);
    }

    private static async Task<IResult> EraseAsync(Guid id, ServiceDatabase db, CancellationToken ct)
    {
        var result = await db.WriteAsync<IResult>(async tx =>
        {
            var current = await OrganizationStore.LockAsync(tx, id);
            if (current is null)
            {
                return NotFound(id);
            }
            // Business facts and membership history stay; the contacts and the free-text reasons (which can name people) go.
            var erased = await tx.ExecuteAsync("DELETE FROM contacts WHERE organization_id = @id", new { id });
            await tx.ExecuteAsync("UPDATE memberships SET decision_reason = NULL, end_reason = NULL WHERE organization_id = @id", new { id });
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
    internal static async Task<IResult?> ForbidUnlessResponsibleAsync(ClaimsPrincipal user, WriteTransaction tx, Guid organizationId)
    {
        var standings = await OrganizationStore.StandingsAsync(tx.Connection, organizationId, tx.CancellationToken, tx.Transaction);
        return OrganizationAccess.Of(CallerRights.Of(user), standings).Responsible
            ? null
            : Forbidden($"Only an admin or a manager of a network in which organisation {organizationId} is an active member may change it.");
    }

    /// <summary>409: an erased organisation takes no new personal data.</summary>
    internal static IResult Erased(Guid id, DateTimeOffset erasedAt, string what) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "The organisation's personal data was erased.",
            detail: $"Organisation {id} was erased on {erasedAt:yyyy-MM-dd} and {what}.");

    internal static IResult Duplicate(OrganizationFacts facts, Guid existing) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "The organisation is already registered.",
            detail: $"'{facts.Name}' in {facts.Town} is already registered as organisation {existing}.",
            extensions: new Dictionary<string, object?> { ["existingId"] = existing });

    internal static IResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown organisation.", detail: $"There is no organisation {id}.");

    private static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed.", detail: detail);

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

/// <summary>Outbox aggregate ids, so the events of one organisation keep their order.</summary>
public static class OrganizationAggregate
{
    public static string Id(Guid organizationId) => $"organization/{organizationId}";
}
