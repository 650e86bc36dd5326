using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Platform.Persistence;
using Xunit;
using static EmsAchse.Members.Tests.MembersService;

namespace EmsAchse.Members.Tests;

/// <summary>The public directory lists active members; applicants and non-members only for staff, with ?includeUnlisted=true.</summary>
[Collection(MembersCollection.Name)]
public sealed class DirectoryVisibilityTests(MembersServers servers)
{
    private static async Task<List<string>> NamesAsync(HttpClient client, string query)
    {
        var page = await client.GetFromJsonAsync<JsonElement>(Url($"/api/members/organizations?{query}"));
        var names = page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();
        Assert.Equal(names.Count, page.GetProperty("total").GetInt32());
        return names;
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task the_public_directory_lists_active_members_only_and_staff_see_the_rest_with_includeUnlisted(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        await members.MemberAsync(await members.CreateOrganizationAsync(NewOrg(name: "Emstal Mitglied GmbH")), "it-achse");
        var applied = await members.Anonymous.PostAsJsonAsync(Url("/api/members/applications"), new
        {
            network = "it-achse",
            organization = NewOrg(name: "Emstal Bewerber GmbH", website: "https://www.bewerber.example"),
            contact = new { name = "Wiebke Wessels", email = "wiebke.wessels@example.de", consentToPublish = true },
        });
        Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        var rejected = await members.ApplyAsync(await members.CreateOrganizationAsync(NewOrg(name: "Emstal Abgelehnt GmbH")), "mema");
        (await members.Admin.PostAsync(Url($"/api/members/applications/{rejected}/reject"), null)).EnsureSuccessStatusCode();
        await members.CreateOrganizationAsync(NewOrg(name: "Emstal Ohne Mitgliedschaft GmbH"));
        var ended = await members.MemberAsync(await members.CreateOrganizationAsync(NewOrg(name: "Emstal Ehemalig GmbH")), "mema");
        (await members.Admin.PostAsync(Url($"/api/members/memberships/{ended}/end"), null)).EnsureSuccessStatusCode();

        Assert.Equal(["Emstal Mitglied GmbH"], await NamesAsync(members.Anonymous, "q=emstal"));
        Assert.Equal(["Emstal Mitglied GmbH"], await NamesAsync(members.Anonymous, "q=emstal&includeUnlisted=false"));
        Assert.Equal(["Emstal Mitglied GmbH"], await NamesAsync(members.Integrator, ""));
        Assert.Equal(["Emstal Mitglied GmbH"], await NamesAsync(members.Admin, "q=emstal"));
        Assert.Equal(
            ["Emstal Abgelehnt GmbH", "Emstal Bewerber GmbH", "Emstal Ehemalig GmbH", "Emstal Mitglied GmbH", "Emstal Ohne Mitgliedschaft GmbH"],
            await NamesAsync(members.Admin, "q=emstal&includeUnlisted=true"));
        Assert.Equal(5, (await NamesAsync(members.Admin, "includeUnlisted=TRUE")).Count);
        Assert.Equal(["Emstal Bewerber GmbH", "Emstal Mitglied GmbH"], await NamesAsync(members.Manager("it-achse"), "q=emstal&includeUnlisted=true"));
        // A rejected application is no pending one: MEMA's manager sees no applicant.
        Assert.Equal(["Emstal Mitglied GmbH"], await NamesAsync(members.Manager("mema"), "includeUnlisted=true"));
        var publicText = await members.Anonymous.GetStringAsync(Url("/api/members/organizations?q=emstal"));
        Assert.DoesNotContain("wiebke", publicText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("bewerber.example", publicText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "includeUnlisted=true", HttpStatusCode.Forbidden)]
    [InlineData("integrator", "includeUnlisted=true", HttpStatusCode.Forbidden)]
    [InlineData("admin", "includeUnlisted=maybe", HttpStatusCode.BadRequest)]
    [InlineData(null, "includeUnlisted=1", HttpStatusCode.BadRequest)]
    public async Task includeUnlisted_is_validated_and_refused_to_the_public(string? role, string query, HttpStatusCode expected)
    {
        await using var members = await servers.StartAsync(DatabaseEngine.Sqlite);

        var response = await members.Host.ClientAs(role).GetAsync(Url($"/api/members/organizations?{query}"));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (expected == HttpStatusCode.BadRequest)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty("includeUnlisted", out _), problem.ToString());
        }
        else
        {
            Assert.Contains("includeUnlisted", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }
}
