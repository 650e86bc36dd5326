using System.Text.Json;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using Dapper;

namespace EmsAchse.Networks.Umbrella;

public sealed record UmbrellaOffice(string? Street, string? PostalCode, string? Town);

public sealed record UpdateUmbrellaRequest(
    string? Name,
    string? ShortName,
    string? LegalForm,
    int? Founded,
    string? Mission,
    UmbrellaOffice? Office,
    IReadOnlyList<string>? Districts,
    int? MemberOrganizations,
    int? Employees,
    int? FiguresYear,
    IReadOnlyList<string>? WorkAreas,
    string? Website);

public sealed record UmbrellaView(
    string Name,
    string ShortName,
    string LegalForm,
    int Founded,
    string Mission,
    UmbrellaOffice Office,
    IReadOnlyList<string> Districts,
    int? MemberOrganizations,
    int? Employees,
    int? FiguresYear,
    IReadOnlyList<string> WorkAreas,
    string? Website,
    long Version,
    DateTimeOffset UpdatedAt);

/// <summary>
/// The alliance itself (Ems-Achse). Nobody else keeps a copy of it, so a change publishes no
/// integration event; add an UmbrellaChanged contract when a consumer appears.
/// </summary>
public static class UmbrellaApi
{
    private sealed class UmbrellaRow
    {
        public string Name { get; init; } = "";
        public string ShortName { get; init; } = "";
        public string LegalForm { get; init; } = "";
        public int FoundedYear { get; init; }
        public string Mission { get; init; } = "";
        public string OfficeStreet { get; init; } = "";
        public string OfficePostalCode { get; init; } = "";
        public string OfficeTown { get; init; } = "";
        public string Districts { get; init; } = "[]";
        public int? MemberOrganizations { get; init; }
        public int? Employees { get; init; }
        public int? FiguresYear { get; init; }
        public string WorkAreas { get; init; } = "[]";
        public string? Website { get; init; }
        public long Version { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
    }

    private const string Select = """
        SELECT name AS Name, short_name AS ShortName, legal_form AS LegalForm, founded_year AS FoundedYear, mission AS Mission,
               office_street AS OfficeStreet, office_postal_code AS OfficePostalCode, office_town AS OfficeTown,
               districts AS Districts, member_organizations AS MemberOrganizations, employees AS Employees,
               figures_year AS FiguresYear, work_areas AS WorkAreas, website AS Website, version AS Version, updated_at AS UpdatedAt
        FROM umbrella WHERE id = 1
        """;

    public static RouteGroupBuilder MapUmbrellaApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/networks/umbrella").WithTags("Umbrella");
        group.MapGet("/", GetAsync).AllowAnonymous();
        group.MapPut("/", UpdateAsync).RequireAuthorization(Policies.Admin);
        return group;
    }

    private static async Task<IResult> GetAsync(ServiceDatabase db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleAsync<UmbrellaRow>(new CommandDefinition(Select, cancellationToken: ct));
        return TypedResults.Ok(ToView(row));
    }

    private static async Task<IResult> UpdateAsync(UpdateUmbrellaRequest request, ServiceDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var errors = UmbrellaRules.Validate(request, BusinessCalendar.Today(clock).Year);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The umbrella's record is invalid.");
        }
        var districts = request.Districts!.Select(d => Districts.Find(d)!.Code).Distinct().ToArray();
        var workAreas = (request.WorkAreas ?? []).Select(a => a.Trim()).Distinct().ToArray();
        var row = await db.WriteAsync(async tx =>
        {
            const string update = """
                UPDATE umbrella SET name = @name, short_name = @shortName, legal_form = @legalForm, founded_year = @founded,
                    mission = @mission, office_street = @street, office_postal_code = @postalCode, office_town = @town,
                    districts = @districts, member_organizations = @memberOrganizations, employees = @employees,
                    figures_year = @figuresYear, work_areas = @workAreas, website = @website,
                    version = version + 1, updated_at = @now
                WHERE id = 1
                """;
            await tx.ExecuteAsync(update, new
            {
                name = request.Name!.Trim(),
                shortName = request.ShortName!.Trim(),
                legalForm = request.LegalForm!.Trim(),
                founded = request.Founded,
                mission = request.Mission!.Trim(),
                street = request.Office!.Street!.Trim(),
                postalCode = request.Office.PostalCode!.Trim(),
                town = request.Office.Town!.Trim(),
                districts = JsonSerializer.Serialize(districts),
                memberOrganizations = request.MemberOrganizations,
                employees = request.Employees,
                figuresYear = request.FiguresYear,
                workAreas = JsonSerializer.Serialize(workAreas),
                website = string.IsNullOrWhiteSpace(request.Website) ? null : request.Website.Trim(),
                now = tx.Now,
            });
            // The umbrella publishes no event, so its change record is written here.
            await tx.RecordChangeAsync("umbrella.changed", "umbrella", "ems-achse");
            return await tx.QuerySingleOrDefaultAsync<UmbrellaRow>(Select);
        }, ct);
        return TypedResults.Ok(ToView(row!));
    }

    private static UmbrellaView ToView(UmbrellaRow r) =>
        new(
            r.Name,
            r.ShortName,
            r.LegalForm,
            r.FoundedYear,
            r.Mission,
            new UmbrellaOffice(r.OfficeStreet, r.OfficePostalCode, r.OfficeTown),
            JsonSerializer.Deserialize<string[]>(r.Districts) ?? [],
            r.MemberOrganizations,
            r.Employees,
            r.FiguresYear,
            JsonSerializer.Deserialize<string[]>(r.WorkAreas) ?? [],
            r.Website,
            r.Version,
            r.UpdatedAt);
}
