using System.Text;
using EmsAchse.Platform.Csv;
using EmsAchse.Portal.Components.Pages.Console.Shared;
using EmsAchse.Portal.Services;
using EmsAchse.Portal.Services.Console;
using EmsAchse.Portal.SignIn;

namespace EmsAchse.Portal.Components.Pages.Console.Funding;

/// <summary>
/// The console's downloads (CSV of a report and of fee claims, a GDPR export): plain endpoints beside the pages that
/// fetch the file with the user's token, so the services' access rules decide here too.
/// </summary>
public static class FundingDownloads
{
    public static IEndpointRouteBuilder MapConsoleDownloads(this IEndpointRouteBuilder app)
    {
        // The same policies as the pages that link here; the service still decides each file.
        var network = app.MapGroup("/verwaltung/netzwerke/{slug}").RequireAuthorization(ConsolePolicies.Network);
        network.MapGet("/finanzbericht.csv", ReportAsync);
        network.MapGet("/beitraege.csv", FeeClaimsAsync);
        app.MapGet("/verwaltung/admin/datenschutz/{id:guid}/export", ExportAsync).RequireAuthorization(ConsolePolicies.Admin);
        return app;
    }

    private static async Task<IResult> ReportAsync(string slug, int? jahr, FundingAdminClient funding, CancellationToken ct)
    {
        var year = jahr ?? DateTime.UtcNow.Year;
        if (year is < 2000 or > 2100)
        {
            return Results.Text("Bitte geben Sie ein Jahr zwischen 2000 und 2100 an.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }
        return await FileOrRefusalAsync(() => funding.ReportCsvAsync(slug, year, ct), $"finanzbericht-{slug}-{year}.csv");
    }

    private static async Task<IResult> FeeClaimsAsync(string slug, int? jahr, FundingAdminClient funding, CancellationToken ct)
    {
        var year = jahr ?? DateTime.UtcNow.Year;
        if (year is < 2000 or > 2100)
        {
            return Results.Text("Bitte geben Sie ein Jahr zwischen 2000 und 2100 an.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }
        return await PagedCsvAsync(
            ["network", "year", "organization_id", "organization", "organization_kind", "period_from", "period_to", "annual_fee_cents", "amount_cents"],
            (page, pageSize) => funding.FeeClaimsAsync(slug, year, page, pageSize, ct),
            (csv, c) => csv.Row(c.Network, c.Year, c.OrganizationId, c.OrganizationName, c.OrganizationKind, c.PeriodFrom, c.PeriodTo, c.AnnualFeeCents, c.AmountCents),
            $"beitragsforderungen-{slug}-{year}.csv");
    }

    /// <summary>
    /// A CSV of every page of a paged API list (200 rows a call), or the German answer to the first refusal or
    /// unavailability on the way.
    /// </summary>
    internal static async Task<IResult> PagedCsvAsync<T>(
        CsvCell[] header, Func<int, int, Task<ApiResult<Paged<T>>>> fetchPage, Action<CsvWriter, T> writeRow, string fileName)
    {
        const int pageSize = 200;
        var csv = new CsvWriter().Row(header);
        for (var page = 1; ; page++)
        {
            ApiResult<Paged<T>> result;
            try
            {
                result = await fetchPage(page, pageSize);
            }
            catch (ServiceUnavailableException)
            {
                return Unavailable();
            }
            if (result.Problem is { } problem)
            {
                return Refusal(problem);
            }
            foreach (var item in result.Value!.Items)
            {
                writeRow(csv, item);
            }
            if ((long)page * pageSize >= result.Value.Total)
            {
                return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", fileName);
            }
        }
    }

    private static Task<IResult> ExportAsync(Guid id, PrivacyClient privacy, CancellationToken ct) =>
        FileOrRefusalAsync(() => privacy.ExportAsync(id, ct), $"datenauskunft-{id:D}.json");

    private static async Task<IResult> FileOrRefusalAsync(Func<Task<ApiResult<ApiFile>>> fetch, string fileName)
    {
        ApiResult<ApiFile> result;
        try
        {
            result = await fetch();
        }
        catch (ServiceUnavailableException)
        {
            return Unavailable();
        }
        return result.Problem is { } problem ? Refusal(problem) : Results.File(result.Value!.Content, result.Value.ContentType, fileName);
    }

    private static IResult Refusal(ApiProblem problem) => problem.Status switch
    {
        StatusCodes.Status403Forbidden => Results.Redirect(AdminPage.ForbiddenPath),
        StatusCodes.Status404NotFound => Results.Text("Das gibt es nicht (mehr).", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound),
        _ => Results.Text("Die Datei konnte nicht erstellt werden.", "text/plain; charset=utf-8", statusCode: problem.Status),
    };

    private static IResult Unavailable() =>
        Results.Text("Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Minuten noch einmal.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);
}
