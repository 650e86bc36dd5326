using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Platform.Persistence;
using Xunit;
using static EmsAchse.Members.Tests.MembersService;

namespace EmsAchse.Members.Tests;

/// <summary>One rule in the memberships and the applications API: applications, rejections and decisions for admins and that network's managers only.</summary>
[Collection(MembersCollection.Name)]
public sealed class MembershipVisibilityTests(MembersServers servers)
{
    private static async Task<Dictionary<Guid, JsonElement>> ListAsync(HttpClient client, string path)
    {
        var page = await client.GetFromJsonAsync<JsonElement>(Url(path));
        var items = page.GetProperty("items").EnumerateArray().ToDictionary(e => e.GetProperty("id").GetGuid());
        Assert.Equal(items.Count, page.GetProperty("total").GetInt32());
        return items;
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task applications_rejections_and_decisions_are_seen_by_admins_and_that_networks_managers_only(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var a = await members.CreateOrganizationAsync(NewOrg());
        var b = await members.CreateOrganizationAsync(NewOrg(name: "Meppener Metallbau GmbH", town: "Meppen"));
        var active = await members.ApplyAsync(a, "it-achse");
        (await members.Manager("it-achse").PostAsJsonAsync(Url($"/api/members/applications/{active}/approve"), new { reason = "Empfohlen von Anna Abeln" })).EnsureSuccessStatusCode();
        var pending = await members.ApplyAsync(a, "mema");
        var rejected = await members.ApplyAsync(b, "it-achse");
        (await members.Manager("it-achse").PostAsJsonAsync(Url($"/api/members/applications/{rejected}/reject"), new { reason = "Kein Bezug laut Bernd Bruns" })).EnsureSuccessStatusCode();

        var integrator = await ListAsync(members.Integrator, "/api/members/memberships");
        var itManager = await ListAsync(members.Manager("it-achse"), "/api/members/memberships");
        var memaManager = await ListAsync(members.Manager("mema"), "/api/members/memberships");
        var admin = await ListAsync(members.Admin, "/api/members/memberships");
        var itApplications = await ListAsync(members.Manager("it-achse"), "/api/members/applications");

        Assert.Equal([active], integrator.Keys);
        Assert.Equal(JsonValueKind.Null, integrator[active].GetProperty("reason").ValueKind);
        Assert.Equal(JsonValueKind.Null, integrator[active].GetProperty("decidedBy").ValueKind);
        Assert.Equal("active", integrator[active].GetProperty("status").GetString());
        Assert.Equal(new[] { active, rejected }.Order(), itManager.Keys.Order());
        Assert.Equal("Empfohlen von Anna Abeln", itManager[active].GetProperty("reason").GetString());
        Assert.Equal("Kein Bezug laut Bernd Bruns", itManager[rejected].GetProperty("reason").GetString());
        Assert.Equal(2, memaManager.Count);
        Assert.Equal("applied", memaManager[pending].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, memaManager[active].GetProperty("decidedBy").ValueKind);
        Assert.Equal(3, admin.Count);
        Assert.Equal("Test network-manager", admin[rejected].GetProperty("decidedBy").GetString());
        // The applications API applies the same rule to the same rows.
        Assert.Equal(itManager.Keys.Order(), itApplications.Keys.Order());
        Assert.Equal(itManager[rejected].ToString(), itApplications[rejected].ToString());

        Assert.Equal(HttpStatusCode.NotFound, (await members.Integrator.GetAsync(Url($"/api/members/memberships/{pending}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await members.Manager("mema").GetAsync(Url($"/api/members/memberships/{rejected}"))).StatusCode);
        var single = await members.Integrator.GetFromJsonAsync<JsonElement>(Url($"/api/members/memberships/{active}"));
        Assert.Equal(JsonValueKind.Null, single.GetProperty("reason").ValueKind);
        Assert.Equal("Kein Bezug laut Bernd Bruns", (await members.Manager("it-achse").GetFromJsonAsync<JsonElement>(Url($"/api/members/memberships/{rejected}"))).GetProperty("reason").GetString());
        var integratorText = await members.Integrator.GetStringAsync(Url($"/api/members/memberships?organization={b}"));
        Assert.DoesNotContain("Bruns", integratorText, StringComparison.Ordinal);
        Assert.DoesNotContain("Abeln", await members.Integrator.GetStringAsync(Url("/api/members/memberships?status=active")), StringComparison.Ordinal);
    }
}
