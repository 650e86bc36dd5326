using Dapper;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EmsAchse.Platform.Changes;

/// <summary>"Who changed what": the service's change records, newest first, for admins, at /api/{service}/admin/changes.</summary>
internal sealed class ChangesApi(ServiceIdentity service) : IEndpointContributor
{
    public void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet($"/api/{service.Name}/admin/changes", ListAsync).RequireAuthorization(Policies.Admin).WithTags("Operations");

    private static async Task<IResult> ListAsync(int? page, int? pageSize, string? actor, string? aggregateType, string? aggregateId, ServiceDatabase db, CancellationToken ct)
    {
        if (!PageRequest.TryCreate(page, pageSize, out var paging, out var errors))
        {
            return PageRequest.Invalid(errors);
        }
        var filter = new
        {
            actor = Blank(actor),
            aggregateType = Blank(aggregateType),
            aggregateId = Blank(aggregateId),
            limit = paging.PageSize,
            offset = paging.Offset,
        };
        const string where = """
            WHERE (@actor IS NULL OR actor_id = @actor)
              AND (@aggregateType IS NULL OR aggregate_type = @aggregateType)
              AND (@aggregateId IS NULL OR aggregate_id = @aggregateId)
            """;
        const string select = """
            SELECT id AS Id, at AS At, actor_id AS ActorId, actor_name AS ActorName, action AS Action,
                   aggregate_type AS AggregateType, aggregate_id AS AggregateId, network AS Network
            FROM change_records
            """;
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM change_records " + where, filter, cancellationToken: ct));
        var items = (await connection.QueryAsync<Row>(new CommandDefinition(select + " " + where + " ORDER BY id DESC LIMIT @limit OFFSET @offset", filter, cancellationToken: ct)))
            .Select(r => new ChangeRecord(r.Id, r.At, r.ActorId, r.ActorName, r.Action, r.AggregateType, r.AggregateId, r.Network))
            .ToList();
        return Results.Ok(new PagedList<ChangeRecord>(items, paging.Page, paging.PageSize, total));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private sealed class Row
    {
        public long Id { get; init; }
        public DateTimeOffset At { get; init; }
        public string ActorId { get; init; } = "";
        public string? ActorName { get; init; }
        public string Action { get; init; } = "";
        public string AggregateType { get; init; } = "";
        public string AggregateId { get; init; } = "";
        public string? Network { get; init; }
    }
}
