using System.Text;
using EmsAchse.Platform.Csv;
using EmsAchse.Portal.Components.Pages.Console.Funding;
using EmsAchse.Portal.Services;
using EmsAchse.Portal.Services.Console;
using EmsAchse.Portal.SignIn;

namespace EmsAchse.Portal.Components.Pages.Console.Members;

/// <summary>A network's member list as CSV, with the same filter as the page; members decides what the user may read.</summary>
public static class MemberDownloads
{
    private const int PageSize = 200;

    public static IEndpointRouteBuilder MapMemberDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/verwaltung/netzwerke/{slug}/mitglieder.csv", MembersAsync).RequireAuthorization(ConsolePolicies.Network);
        return app;
    }

    private static async Task<IResult> MembersAsync(string slug, string? q, string? status, MembershipsClient memberships, CancellationToken ct)
    {
        var filter = MemberStatus.Read(status);
        var csv = new CsvWriter().Row(["network", "membership_id", "organization_id", "organization", "status", "since", "until"]);
        for (var page = 1; ; page++)
        {
            ApiResult<Paged<Membership>> result;
            try
            {
                result = await memberships.ListAsync(slug, filter.Code, q, page, PageSize, ct);
            }
            catch (ServiceUnavailableException)
            {
                return FundingDownloads.Unavailable();
            }
            if (result.Problem is { } problem)
            {
                return FundingDownloads.Refusal(problem);
            }
            foreach (var m in result.Value!.Items)
            {
                csv.Row(m.Network, m.Id, m.OrganizationId, m.OrganizationName, m.Status, m.Since, m.Until);
            }
            if ((long)page * PageSize >= result.Value.Total)
            {
                break;
            }
        }
        return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"mitglieder-{slug}-{filter.Word}.csv");
    }
}
