using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Platform.Persistence;
using Xunit;
using static EmsAchse.Members.Tests.MembersService;

namespace EmsAchse.Members.Tests;

/// <summary>"Who changed what" in members: one record per write with its caller, none for a refusal, nothing personal.</summary>
[Collection(MembersCollection.Name)]
public sealed class ChangeRecordsTests(MembersServers servers)
{
    private static readonly Uri Changes = Url("/api/members/admin/changes");

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task an_application_and_its_approval_are_recorded_with_who_made_them(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var applied = await members.Anonymous.PostAsJsonAsync(Url("/api/members/applications"), new { network = "it-achse", organization = NewOrg() });
        Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        var membership = (await applied.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var afterApplying = await members.Admin.GetFromJsonAsync<JsonElement>(Changes);

        (await members.Manager("it-achse").PostAsync(Url($"/api/members/applications/{membership}/approve"), null)).EnsureSuccessStatusCode();

        var records = await members.Admin.GetFromJsonAsync<JsonElement>(Changes);
        Assert.Equal(1, afterApplying.GetProperty("total").GetInt64());
        Assert.Equal(2, records.GetProperty("total").GetInt64());
        var approval = records.GetProperty("items")[0];
        Assert.Equal("membership.activated", approval.GetProperty("action").GetString());
        Assert.Equal("test-network-manager", approval.GetProperty("actorId").GetString());
        Assert.Equal("Test network-manager", approval.GetProperty("actorName").GetString());
        Assert.Equal("membership", approval.GetProperty("aggregateType").GetString());
        Assert.Equal(membership.ToString(), approval.GetProperty("aggregateId").GetString());
        Assert.Equal("it-achse", approval.GetProperty("network").GetString());
        var application = records.GetProperty("items")[1];
        Assert.Equal("membership.applied", application.GetProperty("action").GetString());
        Assert.Equal("anonymous", application.GetProperty("actorId").GetString());
        Assert.Equal(JsonValueKind.Null, application.GetProperty("actorName").ValueKind);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task refused_writes_leave_no_record_and_an_erased_organisations_records_hold_nothing_personal(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var id = await members.CreateOrganizationAsync(NewOrg());
        await members.AddContactAsync(id, "Anna Abeln", "anna.abeln@example.de", consent: false);
        var before = await members.Admin.GetStringAsync(Changes);

        Assert.Equal(HttpStatusCode.Forbidden, (await members.Manager("mema").PostAsJsonAsync(Url($"/api/members/organizations/{id}/contacts"), new { name = "Bernd Bruns", email = "b@example.de" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await members.Admin.PostAsJsonAsync(Url($"/api/members/organizations/{id}/contacts"), new { name = "", email = "not-an-address" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await members.Admin.PostAsJsonAsync(Url("/api/members/organizations"), NewOrg())).StatusCode);
        Assert.Equal(before, await members.Admin.GetStringAsync(Changes));

        (await members.Admin.PostAsync(Url($"/api/members/organizations/{id}/erase"), null)).EnsureSuccessStatusCode();

        var ofOrganization = await members.Admin.GetFromJsonAsync<JsonElement>(Url($"/api/members/admin/changes?aggregateType=organization&aggregateId={id}"));
        Assert.Equal(["organization.erased", "contact.added", "organization.registered"], ofOrganization.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()));
        var all = await members.Admin.GetStringAsync(Changes);
        Assert.DoesNotContain("Abeln", all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("example.de", all, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task only_admins_read_the_records_and_bad_paging_is_a_400(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);

        Assert.Equal(HttpStatusCode.Unauthorized, (await members.Anonymous.GetAsync(Changes)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await members.Manager("it-achse").GetAsync(Changes)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await members.Integrator.GetAsync(Changes)).StatusCode);
        foreach (var query in new[] { "page=0", "pageSize=0", "pageSize=201", "page=2147483647" })
        {
            var response = await members.Admin.GetAsync(Url($"/api/members/admin/changes?{query}"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
