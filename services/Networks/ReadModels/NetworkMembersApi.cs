using Dapper;
using EmsAchse.Networks.Networks;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmsAchse.Networks.ReadModels;

/// <summary>A member of a network as the members service announced it (organisation facts only, no contacts).</summary>
public sealed record NetworkMemberView(
    Guid MembershipId,
    Guid OrganizationId,
    string OrganizationName,
    string OrganizationKind,
    string District,
    string? Region,
    string Status,
    DateOnly Since,
    DateOnly? Until);

/// <summary>GET /api/networks/{slug}/members: the read model kept from membership events, paged.</summary>
public static class NetworkMembersApi
{
    private static readonly string[] Statuses = ["active", "ended"];

    private sealed class MemberRow
    {
        public Guid MembershipId { get; init; }
        public Guid OrganizationId { get; init; }
        public string OrganizationName { get; init; } = "";
        public string OrganizationKind { get; init; } = "";
        public string District { get; init; } = "";
        public string Status { get; init; } = "";
        public DateOnly Since { get; init; }
        public DateOnly? Until { get; init; }
    }

    public static RouteHandlerBuilder MapNetworkMembersApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/networks/{slug}/members", ListAsync).AllowAnonymous().WithTags("Members")
            .WithSummary("List a network's members")
            .WithDescription("Organisations with an active (default) or ended membership of the network, as the members service announced them; no contacts. Paged.");

    /// <param name="status">active (default) or ended.</param>
    private static async Task<Results<Ok<PagedList<NetworkMemberView>>, ValidationProblem, NotFoundProblem>> ListAsync(string slug, string? status, int? page, int? pageSize, ServiceDatabase db, CancellationToken ct)
    {
        PageRequest.TryCreate(page, pageSize, out var paging, out var errors);
        var wanted = (status ?? "active").Trim().ToLowerInvariant();
        if (!Statuses.Contains(wanted))
        {
            errors["status"] = [$"status must be one of: {string.Join(", ", Statuses)}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The query is invalid.");
        }

        await using var connection = await db.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM networks WHERE slug = @slug", new { slug }, cancellationToken: ct)) == 0)
        {
            return NetworksApi.NotFound(slug);
        }
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM network_members WHERE network_slug = @slug AND status = @wanted", new { slug, wanted }, cancellationToken: ct));
        const string sql = """
            SELECT membership_id AS MembershipId, organization_id AS OrganizationId, organization_name AS OrganizationName,
                   organization_kind AS OrganizationKind, district AS District, status AS Status, since AS Since, until AS Until
            FROM network_members
            WHERE network_slug = @slug AND status = @wanted
            ORDER BY organization_name, membership_id
            LIMIT @limit OFFSET @offset
            """;
        var rows = await connection.QueryAsync<MemberRow>(new CommandDefinition(sql, new { slug, wanted, limit = paging.PageSize, offset = paging.Offset }, cancellationToken: ct));
        var items = rows.Select(r => new NetworkMemberView(
            r.MembershipId, r.OrganizationId, r.OrganizationName, r.OrganizationKind, r.District, Districts.Find(r.District)?.Region.Code, r.Status, r.Since, r.Until)).ToList();
        return TypedResults.Ok(new PagedList<NetworkMemberView>(items, paging.Page, paging.PageSize, total));
    }
}
