using EmsAchse.Portal.Components.Pages.Console.Funding;
using EmsAchse.Portal.Services.Console;
using EmsAchse.Portal.SignIn;

namespace EmsAchse.Portal.Components.Pages.Console.Members;

/// <summary>A network's member list as CSV, with the same filter as the page; members decides what the user may read.</summary>
public static class MemberDownloads
{
    public static IEndpointRouteBuilder MapMemberDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/verwaltung/netzwerke/{slug}/mitglieder.csv", MembersAsync).RequireAuthorization(ConsolePolicies.Network);
        return app;
    }

    private static Task<IResult> MembersAsync(string slug, string? q, string? status, MembershipsClient memberships, CancellationToken ct)
    {
        var filter = MemberStatus.Read(status);
        return FundingDownloads.PagedCsvAsync(
            ["network", "membership_id", "organization_id", "organization", "status", "since", "until"],
            (page, pageSize) => memberships.ListAsync(slug, filter.Code, q, page, pageSize, ct),
            (csv, m) => csv.Row(m.Network, m.Id, m.OrganizationId, m.OrganizationName, m.Status, m.Since, m.Until),
            $"mitglieder-{slug}-{filter.Word}.csv");
    }
}
