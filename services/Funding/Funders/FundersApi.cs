using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;

namespace EmsAchse.Funding.Funders;

public sealed record FunderRequest(string? Name, string? Kind, string? District);

public sealed record FunderView(Guid Id, string Name, string Kind, string? District);

/// <summary>The funder kinds of DESIGN's vocabulary.</summary>
public static class FunderKinds
{
    public static readonly IReadOnlyList<string> All = ["district", "city", "state", "federal", "eu", "private", "membership-fees"];

    public static string? Find(string? code) =>
        code is null ? null : All.FirstOrDefault(k => string.Equals(k, code.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>Funders: everyone reads names and kinds; admins write.</summary>
public static class FundersApi
{
    private const int MaxNameLength = 200;

    public static IEndpointRouteBuilder MapFundersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/funding/funders").WithTags("Funders");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.AnyRole);
        group.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.AnyRole);
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.Admin);
        group.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(Policies.Admin);
        return app;
    }

    private sealed class FunderRow
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public string? District { get; init; }

        public FunderView ToView() => new(Id, Name, Kind, District);
    }

    private const string SelectSql = "SELECT id AS Id, name AS Name, kind AS Kind, district AS District FROM funders";

    private static async Task<IResult> ListAsync(string? kind, int? page, int? pageSize, ServiceDatabase db, CancellationToken ct)
    {
        if (!PageRequest.TryCreate(page, pageSize, out var paging, out var errors))
        {
            return PageRequest.Invalid(errors);
        }
        var kindCode = kind is null ? "" : FunderKinds.Find(kind);
        if (kindCode is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["kind"] = [KindMessage] }, title: "The filter is invalid.");
        }
        await using var connection = await db.OpenAsync(ct);
        var args = new { kind = kindCode, paging.PageSize, paging.Offset };
        const string filter = " WHERE (@kind = '' OR kind = @kind)";
        var total = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, new Dapper.CommandDefinition("SELECT COUNT(*) FROM funders" + filter, args, cancellationToken: ct));
        var rows = await Dapper.SqlMapper.QueryAsync<FunderRow>(connection, new Dapper.CommandDefinition(SelectSql + filter + " ORDER BY name, id LIMIT @PageSize OFFSET @Offset", args, cancellationToken: ct));
        return Results.Ok(new PagedList<FunderView>(rows.Select(r => r.ToView()).ToList(), paging.Page, paging.PageSize, total));
    }

    private static async Task<IResult> GetAsync(Guid id, ServiceDatabase db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await Dapper.SqlMapper.QuerySingleOrDefaultAsync<FunderRow>(connection, new Dapper.CommandDefinition(SelectSql + " WHERE id = @id", new { id }, cancellationToken: ct));
        return row is null ? NotFound(id) : Results.Ok(row.ToView());
    }

    private static async Task<IResult> CreateAsync(FunderRequest request, ServiceDatabase db, CancellationToken ct)
    {
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }
        var funder = Normalise(Guid.NewGuid(), request);
        return await db.WriteAsync<IResult>(async tx =>
        {
            if (await NameTakenAsync(tx, funder.Name, funder.Id))
            {
                return NameTaken(funder.Name);
            }
            await tx.ExecuteAsync("INSERT INTO funders (id, name, kind, district) VALUES (@Id, @Name, @Kind, @District)", funder);
            await tx.RecordChangeAsync("funder.registered", "funder", funder.Id.ToString());
            return Results.Created($"/api/funding/funders/{funder.Id}", funder);
        }, ct);
    }

    private static async Task<IResult> UpdateAsync(Guid id, FunderRequest request, ServiceDatabase db, CancellationToken ct)
    {
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }
        var funder = Normalise(id, request);
        return await db.WriteAsync<IResult>(async tx =>
        {
            if (await tx.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM funders WHERE id = @id", new { id }) == 0)
            {
                return NotFound(id);
            }
            if (await NameTakenAsync(tx, funder.Name, id))
            {
                return NameTaken(funder.Name);
            }
            await tx.ExecuteAsync("UPDATE funders SET name = @Name, kind = @Kind, district = @District WHERE id = @Id", funder);
            await tx.RecordChangeAsync("funder.changed", "funder", id.ToString());
            return Results.Ok(funder);
        }, ct);
    }

    private static readonly string KindMessage = $"kind must be one of: {string.Join(", ", FunderKinds.All)}.";

    private static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem? Validate(FunderRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors["name"] = ["name is required."];
        }
        else if (request.Name.Trim().Length > MaxNameLength)
        {
            errors["name"] = [$"name must be at most {MaxNameLength} characters."];
        }
        if (FunderKinds.Find(request.Kind) is null)
        {
            errors["kind"] = [KindMessage];
        }
        if (!string.IsNullOrWhiteSpace(request.District) && Districts.Find(request.District) is null)
        {
            errors["district"] = [$"district must be one of: {string.Join(", ", Districts.All.Select(d => d.Code))} (or left out)."];
        }
        return errors.Count > 0 ? TypedResults.ValidationProblem(errors, title: "The funder is invalid.") : null;
    }

    private static FunderView Normalise(Guid id, FunderRequest request) =>
        new(id, request.Name!.Trim(), FunderKinds.Find(request.Kind)!, string.IsNullOrWhiteSpace(request.District) ? null : Districts.Find(request.District)!.Code);

    private static async Task<bool> NameTakenAsync(WriteTransaction tx, string name, Guid except) =>
        await tx.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM funders WHERE lower(name) = lower(@name) AND id <> @except", new { name, except }) > 0;

    private static IResult NameTaken(string name) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The funder name is taken.", detail: $"There is already a funder named '{name}'.");

    private static IResult NotFound(Guid id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown funder.", detail: $"There is no funder {id}.");
}
