using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EmsAchse.Platform.Persistence;
using Xunit;
using static EmsAchse.Members.Tests.MembersService;

namespace EmsAchse.Members.Tests;

[Collection(MembersCollection.Name)]
public sealed class ApplicationsApiTests(MembersServers servers)
{
    private static readonly Uri Applications = Url("/api/members/applications");

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task the_public_applies_with_a_new_organisation_and_a_contact_and_the_manager_approves(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var applied = await members.Anonymous.PostAsJsonAsync(Applications, new
        {
            network = "IT-Achse",
            organization = NewOrg(name: "Haselünner Datentechnik GmbH", town: "Haselünne"),
            contact = new { name = "Remmer Eilers", email = "remmer.eilers@example.de", consentToPublish = false },
        });

        Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        var application = await applied.Content.ReadFromJsonAsync<JsonElement>();
        var id = application.GetProperty("id").GetGuid();
        Assert.Equal($"/api/members/applications/{id}", applied.Headers.Location?.OriginalString);
        Assert.Equal("applied", application.GetProperty("status").GetString());
        Assert.Equal("it-achse", application.GetProperty("network").GetString());
        Assert.Equal(JsonValueKind.Null, application.GetProperty("decided").ValueKind);
        Assert.Equal(1, await members.EventsAsync("MembershipApplied"));
        var organizationId = application.GetProperty("organizationId").GetGuid();
        Assert.Equal(1, (await members.Admin.GetFromJsonAsync<JsonElement>(Url($"/api/members/organizations/{organizationId}/contacts"))).GetArrayLength());

        var pending = await members.Manager("it-achse").GetFromJsonAsync<JsonElement>(Url("/api/members/applications?network=it-achse&status=applied"));
        Assert.Equal(1, pending.GetProperty("total").GetInt32());
        Assert.Equal(id, pending.GetProperty("items")[0].GetProperty("id").GetGuid());

        var approved = await members.Manager("it-achse").PostAsJsonAsync(Url($"/api/members/applications/{id}/approve"), new { reason = "Willkommen" });

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var decision = await approved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("active", decision.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, decision.GetProperty("decided").ValueKind);
        Assert.Equal("Test network-manager", decision.GetProperty("decidedBy").GetString());
        Assert.Equal(1, await members.EventsAsync("MembershipActivated"));
        var organization = await members.Anonymous.GetFromJsonAsync<JsonElement>(Url($"/api/members/organizations/{organizationId}"));
        Assert.Equal(["it-achse"], organization.GetProperty("networks").EnumerateArray().Select(e => e.GetString()));
        var stillPending = await members.Manager("it-achse").GetFromJsonAsync<JsonElement>(Url("/api/members/applications?network=it-achse&status=applied"));
        Assert.Equal(0, stillPending.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task an_existing_organisation_applies_to_several_networks_but_only_once_to_each(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var id = await members.CreateOrganizationAsync(NewOrg());
        await members.MemberAsync(id, "it-achse");
        var mema = await members.Manager("it-achse").PostAsJsonAsync(Applications, new { network = "mema", organizationId = id });
        Assert.Equal(HttpStatusCode.Created, mema.StatusCode);
        var before = await members.SnapshotAsync();

        var secondWhileActive = await members.Admin.PostAsJsonAsync(Applications, new { network = "it-achse", organizationId = id });
        var secondWhileApplied = await members.Admin.PostAsJsonAsync(Applications, new { network = "mema", organizationId = id });

        Assert.Equal(HttpStatusCode.Conflict, secondWhileActive.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, secondWhileApplied.StatusCode);
        Assert.Contains("open membership", (await secondWhileActive.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await members.SnapshotAsync());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task applications_to_unknown_or_dissolved_networks_or_unknown_organisations_are_refused(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var id = await members.CreateOrganizationAsync(NewOrg());
        var before = await members.SnapshotAsync();

        var unknownNetwork = await members.Anonymous.PostAsJsonAsync(Applications, new { network = "no-such-net", organization = NewOrg(name: "Neu GmbH") });
        var dissolved = await members.Admin.PostAsJsonAsync(Applications, new { network = "old-net", organizationId = id });
        var unknownOrganization = await members.Admin.PostAsJsonAsync(Applications, new { network = "it-achse", organizationId = Guid.NewGuid() });
        var duplicateOrganization = await members.Anonymous.PostAsJsonAsync(Applications, new { network = "it-achse", organization = NewOrg(name: "EMSLAND SOFTWARE GMBH") });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownNetwork.StatusCode);
        Assert.Contains("no-such-net", (await unknownNetwork.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, dissolved.StatusCode);
        Assert.Contains("dissolved", (await dissolved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownOrganization.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicateOrganization.StatusCode);
        Assert.Equal(id, (await duplicateOrganization.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("existingId").GetGuid());
        Assert.Equal(before, await members.SnapshotAsync());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite, "{\"organization\":{\"name\":\"A\",\"kind\":\"company\",\"district\":\"emsland\",\"town\":\"Meppen\"}}", "network")]
    [InlineData(DatabaseEngine.Sqlite, "{\"network\":\"it-achse\"}", "organization")]
    [InlineData(DatabaseEngine.Sqlite, "{\"network\":\"it-achse\",\"organization\":{\"name\":\"A\",\"kind\":\"x\",\"district\":\"emsland\",\"town\":\"Meppen\"}}", "organization.kind")]
    [InlineData(DatabaseEngine.Sqlite, "{\"network\":\"it-achse\",\"organization\":{\"name\":\"A\",\"kind\":\"company\",\"district\":\"emsland\",\"town\":\"Meppen\"},\"contact\":{\"name\":\"B\",\"email\":\"not-an-email\"}}", "contact.email")]
    [InlineData(DatabaseEngine.Postgres, "{\"network\":\"it-achse\",\"organization\":{\"name\":\"A\",\"kind\":\"company\",\"district\":\"mars\",\"town\":\"Meppen\"}}", "organization.district")]
    [InlineData(DatabaseEngine.Postgres, "{\"network\":\"it-achse\",\"organizationId\":\"6f1c2a10-0000-4000-8000-000000000001\",\"organization\":{\"name\":\"A\",\"kind\":\"company\",\"district\":\"emsland\",\"town\":\"Meppen\"}}", "organization")]
    public async Task invalid_applications_are_refused_with_field_errors_and_change_nothing(DatabaseEngine engine, string body, string field)
    {
        await using var members = await servers.StartAsync(engine);
        var before = await members.SnapshotAsync();

        var response = await members.Anonymous.PostAsync(Applications, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}': {problem}");
        Assert.Equal(before, await members.SnapshotAsync());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task only_the_networks_manager_or_an_admin_decides_and_only_once(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var id = await members.ApplyAsync(await members.CreateOrganizationAsync(NewOrg()), "it-achse");
        var approve = Url($"/api/members/applications/{id}/approve");
        var reject = Url($"/api/members/applications/{id}/reject");
        var before = await members.SnapshotAsync();

        var anonymous = await members.Anonymous.PostAsync(approve, null);
        var foreign = await members.Manager("mema").PostAsync(approve, null);
        var foreignReject = await members.Manager("mema").PostAsync(reject, null);
        var integrator = await members.Integrator.PostAsync(approve, null);
        var unknown = await members.Admin.PostAsync(Url($"/api/members/applications/{Guid.NewGuid()}/approve"), null);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignReject.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, integrator.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(before, await members.SnapshotAsync());

        Assert.Equal(HttpStatusCode.OK, (await members.Manager("it-achse").PostAsync(approve, null)).StatusCode);
        var afterApproval = await members.SnapshotAsync();
        var twice = await members.Manager("it-achse").PostAsync(approve, null);
        var rejectActive = await members.Admin.PostAsync(reject, null);

        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, rejectActive.StatusCode);
        Assert.Equal(afterApproval, await members.SnapshotAsync());
        Assert.Equal(1, await members.EventsAsync("MembershipActivated"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_rejected_application_keeps_its_reason_and_the_organisation_may_apply_again(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var organizationId = await members.CreateOrganizationAsync(NewOrg());
        var id = await members.ApplyAsync(organizationId, "it-achse");

        var rejected = await members.Manager("it-achse").PostAsJsonAsync(Url($"/api/members/applications/{id}/reject"), new { reason = "Kein IT-Bezug" });

        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var decision = await rejected.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rejected", decision.GetProperty("status").GetString());
        Assert.Equal("Kein IT-Bezug", decision.GetProperty("reason").GetString());
        Assert.Equal(1, await members.EventsAsync("MembershipRejected"));
        Assert.Equal(HttpStatusCode.Conflict, (await members.Admin.PostAsync(Url($"/api/members/applications/{id}/approve"), null)).StatusCode);
        var again = await members.Admin.PostAsJsonAsync(Applications, new { network = "it-achse", organizationId });
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task managers_list_the_applications_of_their_own_networks_only(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var organizationId = await members.CreateOrganizationAsync(NewOrg());
        var it = await members.ApplyAsync(organizationId, "it-achse");
        var mema = await members.ApplyAsync(organizationId, "mema");

        var own = await members.Manager("it-achse").GetFromJsonAsync<JsonElement>(Applications);
        var admin = await members.Admin.GetFromJsonAsync<JsonElement>(Applications);
        var foreign = await members.Manager("it-achse").GetAsync(Url("/api/members/applications?network=mema"));
        var integrator = await members.Integrator.GetAsync(Applications);
        var anonymous = await members.Anonymous.GetAsync(Applications);
        var badStatus = await members.Admin.GetAsync(Url("/api/members/applications?status=pending"));
        var single = await members.Manager("mema").GetFromJsonAsync<JsonElement>(Url($"/api/members/applications/{mema}"));
        var foreignSingle = await members.Manager("mema").GetAsync(Url($"/api/members/applications/{it}"));

        Assert.Equal(1, own.GetProperty("total").GetInt32());
        Assert.Equal(it, own.GetProperty("items")[0].GetProperty("id").GetGuid());
        Assert.Equal(2, admin.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, integrator.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Equal("mema", single.GetProperty("network").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, foreignSingle.StatusCode);
    }
}
