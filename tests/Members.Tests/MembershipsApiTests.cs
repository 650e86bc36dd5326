using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Platform.Persistence;
using Xunit;
using static EmsAchse.Members.Tests.MembersService;

namespace EmsAchse.Members.Tests;

[Collection(MembersCollection.Name)]
public sealed class MembershipsApiTests(MembersServers servers)
{
    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task memberships_are_listed_with_filters_and_paging(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var a = await members.CreateOrganizationAsync(NewOrg());
        var b = await members.CreateOrganizationAsync(NewOrg(name: "Meppener Metallbau GmbH", town: "Meppen"));
        await members.MemberAsync(a, "it-achse");
        await members.MemberAsync(b, "mema");
        await members.ApplyAsync(a, "mema");

        var all = await members.Admin.GetFromJsonAsync<JsonElement>(Url("/api/members/memberships"));
        var ofA = await members.Admin.GetFromJsonAsync<JsonElement>(Url($"/api/members/memberships?organization={a}"));
        var activeMema = await members.Integrator.GetFromJsonAsync<JsonElement>(Url("/api/members/memberships?network=mema&status=active"));
        var page2 = await members.Admin.GetFromJsonAsync<JsonElement>(Url("/api/members/memberships?page=2&pageSize=2"));
        var anonymous = await members.Anonymous.GetAsync(Url("/api/members/memberships"));
        var badStatus = await members.Integrator.GetAsync(Url("/api/members/memberships?status=gone"));
        var badPage = await members.Integrator.GetAsync(Url("/api/members/memberships?pageSize=500"));
        // A part of the name, folded as the directory folds it (case, punctuation, umlauts spelled out).
        var byName = await members.Admin.GetFromJsonAsync<JsonElement>(Url("/api/members/memberships?q=MEPPENER%20metall"));
        var byNameInNetwork = await members.Admin.GetFromJsonAsync<JsonElement>(Url("/api/members/memberships?q=meppener&network=it-achse"));
        var longName = await members.Admin.GetAsync(Url($"/api/members/memberships?q={new string('a', 201)}"));

        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal(2, ofA.GetProperty("total").GetInt32());
        Assert.Equal(1, activeMema.GetProperty("total").GetInt32());
        Assert.Equal(b, activeMema.GetProperty("items")[0].GetProperty("organizationId").GetGuid());
        Assert.Equal(3, page2.GetProperty("total").GetInt32());
        Assert.Equal(1, page2.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
        Assert.True((await badPage.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("pageSize", out _));
        Assert.Equal(1, byName.GetProperty("total").GetInt32());
        Assert.Equal(b, byName.GetProperty("items")[0].GetProperty("organizationId").GetGuid());
        Assert.Equal(0, byNameInNetwork.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, longName.StatusCode);
        Assert.True((await longName.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("q", out _));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task the_networks_manager_ends_an_active_membership_once_and_the_organisation_may_rejoin(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var organizationId = await members.CreateOrganizationAsync(NewOrg());
        var id = await members.MemberAsync(organizationId, "it-achse");
        var pending = await members.ApplyAsync(organizationId, "mema");
        var end = Url($"/api/members/memberships/{id}/end");
        var before = await members.SnapshotAsync();

        var anonymous = await members.Anonymous.PostAsync(end, null);
        var foreign = await members.Manager("mema").PostAsync(end, null);
        var unknown = await members.Admin.PostAsync(Url($"/api/members/memberships/{Guid.NewGuid()}/end"), null);
        var future = await members.Admin.PostAsJsonAsync(end, new { until = "2999-12-31" });
        var beforeStart = await members.Admin.PostAsJsonAsync(end, new { until = "2001-01-01" });
        var applied = await members.Admin.PostAsync(Url($"/api/members/memberships/{pending}/end"), null);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.True((await future.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("until", out _));
        Assert.Equal(HttpStatusCode.BadRequest, beforeStart.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, applied.StatusCode);
        Assert.Equal(before, await members.SnapshotAsync());

        var ended = await members.Manager("it-achse").PostAsJsonAsync(end, new { reason = "Betrieb aufgegeben" });

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        var membership = await ended.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ended", membership.GetProperty("status").GetString());
        Assert.Equal(membership.GetProperty("since").GetString(), membership.GetProperty("until").GetString());
        Assert.Equal(1, await members.EventsAsync("MembershipEnded"));
        var afterEnd = await members.SnapshotAsync();
        Assert.Equal(HttpStatusCode.Conflict, (await members.Admin.PostAsync(end, null)).StatusCode);
        Assert.Equal(afterEnd, await members.SnapshotAsync());
        // No active membership left: the directory no longer lists it.
        Assert.Equal(HttpStatusCode.NotFound, (await members.Anonymous.GetAsync(Url($"/api/members/organizations/{organizationId}"))).StatusCode);
        var organization = await members.Admin.GetFromJsonAsync<JsonElement>(Url($"/api/members/organizations/{organizationId}"));
        Assert.Equal(0, organization.GetProperty("networks").GetArrayLength());
        var read = await members.Integrator.GetFromJsonAsync<JsonElement>(Url($"/api/members/memberships/{id}"));
        Assert.Equal("ended", read.GetProperty("status").GetString());
        await members.ApplyAsync(organizationId, "it-achse");
    }
}
