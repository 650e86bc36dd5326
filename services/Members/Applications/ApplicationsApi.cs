using System.Security.Claims;
using EmsAchse.Contracts.Members;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;

namespace EmsAchse.Members.Applications;

public sealed record NewOrganization(string? Name, string? Kind, string? District, string? Town);

public sealed record ApplicationRequest(string? Network, Guid? OrganizationId, NewOrganization? Organization);

public sealed record ApplicationView(Guid Id, string Network, Guid OrganizationId, string Status, DateTimeOffset Submitted, DateTimeOffset? Decided);

public static class ApplicationsApi
{
    public static readonly IReadOnlyList<string> OrganizationKinds = ["company", "municipality", "education", "research", "chamber", "association", "institution"];

    public static RouteGroupBuilder MapApplicationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/members/applications").WithTags("Applications");
        group.MapPost("/", ApplyAsync).AllowAnonymous();
        group.MapPost("/{id:guid}/approve", ApproveAsync).RequireAuthorization(Policies.AnyRole);
        return group;
    }

    private static async Task<IResult> ApplyAsync(ApplicationRequest request, ServiceDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Network))
        {
            errors["network"] = ["network (a network slug) is required."];
        }
        if (request.OrganizationId is null && request.Organization is null)
        {
            errors["organization"] = ["give organizationId of an existing organisation, or organization with the new one's details."];
        }
        if (request.Organization is { } org)
        {
            if (string.IsNullOrWhiteSpace(org.Name))
            {
                errors["organization.name"] = ["name is required."];
            }
            if (org.Kind is null || !OrganizationKinds.Contains(org.Kind.Trim().ToLowerInvariant()))
            {
                errors["organization.kind"] = [$"kind must be one of: {string.Join(", ", OrganizationKinds)}."];
            }
            if (Districts.Find(org.District) is null)
            {
                errors["organization.district"] = [$"district must be one of: {string.Join(", ", Districts.All.Select(d => d.Code))}."];
            }
            if (string.IsNullOrWhiteSpace(org.Town))
            {
                errors["organization.town"] = ["town is required."];
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The application is invalid.");
        }

        var network = request.Network!.Trim().ToLowerInvariant();
        var membershipId = Guid.NewGuid();
        var submitted = clock.GetUtcNow();
        return await db.WriteAsync<IResult>(async tx =>
        {
            var status = await tx.QuerySingleOrDefaultAsync<string>("SELECT status FROM network_catalogue WHERE slug = @network", new { network });
            if (status is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Unknown network.", detail: $"There is no network '{network}' to apply to.");
            }
            if (status != "active")
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The network is dissolved.", detail: $"'{network}' takes no applications.");
            }
            var organizationId = request.OrganizationId ?? Guid.NewGuid();
            string organizationName;
            if (request.OrganizationId is { } existing)
            {
                var name = await tx.QuerySingleOrDefaultAsync<string>("SELECT name FROM organizations WHERE id = @existing", new { existing });
                if (name is null)
                {
                    return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Unknown organisation.", detail: $"There is no organisation {existing}.");
                }
                organizationName = name;
            }
            else
            {
                var org = request.Organization!;
                organizationName = org.Name!.Trim();
                await tx.ExecuteAsync(
                    "INSERT INTO organizations (id, name, kind, district, town, created_at) VALUES (@organizationId, @name, @kind, @district, @town, @now)",
                    new { organizationId, name = organizationName, kind = org.Kind!.Trim().ToLowerInvariant(), district = Districts.Find(org.District)!.Code, town = org.Town!.Trim(), now = tx.Now });
            }
            const string open = "SELECT COUNT(*) FROM memberships WHERE organization_id = @organizationId AND network_slug = @network AND status IN ('applied', 'active')";
            if (await tx.ExecuteScalarAsync<long>(open, new { organizationId, network }) > 0)
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already a member or applicant.", detail: $"Organisation {organizationId} already has an open membership in '{network}'.");
            }
            await tx.ExecuteAsync(
                "INSERT INTO memberships (id, organization_id, network_slug, status, submitted, version) VALUES (@membershipId, @organizationId, @network, 'applied', @submitted, 1)",
                new { membershipId, organizationId, network, submitted });
            await tx.PublishAsync(MembershipAggregate.Id(membershipId), new MembershipApplied(membershipId, organizationId, organizationName, network, submitted, 1, tx.Now));
            return Results.Created($"/api/members/applications/{membershipId}", new ApplicationView(membershipId, network, organizationId, "applied", submitted, null));
        }, ct);
    }

    private sealed class PendingRow
    {
        public Guid OrganizationId { get; init; }
        public string Network { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset Submitted { get; init; }
        public long Version { get; init; }
        public string OrganizationName { get; init; } = "";
        public string Kind { get; init; } = "";
        public string District { get; init; } = "";
    }

    private static async Task<IResult> ApproveAsync(Guid id, ClaimsPrincipal user, ServiceDatabase db, TimeProvider clock, CancellationToken ct) =>
        await db.WriteAsync<IResult>(async tx =>
        {
            const string sql = """
                SELECT m.organization_id AS OrganizationId, m.network_slug AS Network, m.status AS Status, m.submitted AS Submitted,
                       m.version AS Version, o.name AS OrganizationName, o.kind AS Kind, o.district AS District
                FROM memberships m JOIN organizations o ON o.id = m.organization_id
                WHERE m.id = @id
                """;
            var pending = await tx.QuerySingleOrDefaultAsync<PendingRow>(sql, new { id });
            if (pending is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown application.", detail: $"There is no application {id}.");
            }
            if (user.ForbidUnlessManages(pending.Network) is { } forbidden)
            {
                return forbidden;
            }
            if (pending.Status != "applied")
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already decided.", detail: $"Application {id} is {pending.Status}; only an applied one can be approved.");
            }
            var since = BusinessCalendar.Today(clock);
            var version = pending.Version + 1;
            await tx.ExecuteAsync(
                "UPDATE memberships SET status = 'active', decided = @now, decided_by = @by, since = @since, version = @version WHERE id = @id AND version = @expected",
                new { id, now = tx.Now, by = user.Identity?.Name ?? user.FindFirst("sub")?.Value, since, version, expected = pending.Version });
            await tx.PublishAsync(MembershipAggregate.Id(id), new MembershipActivated(id, pending.OrganizationId, pending.OrganizationName, pending.Kind, pending.District, pending.Network, "active", since, null, version, tx.Now));
            return Results.Ok(new ApplicationView(id, pending.Network, pending.OrganizationId, "active", pending.Submitted, tx.Now));
        }, ct);
}

public static class MembershipAggregate
{
    public static string Id(Guid membershipId) => $"membership/{membershipId}";
}
