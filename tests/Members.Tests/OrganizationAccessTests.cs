using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Platform.Persistence;
using Xunit;
using static EmsAchse.Members.Tests.MembersService;

namespace EmsAchse.Members.Tests;

/// <summary>Responsibility for an organisation comes from an active membership in a network the caller manages, never from an application.</summary>
[Collection(MembersCollection.Name)]
public sealed class OrganizationAccessTests(MembersServers servers)
{
    private static readonly Uri Applications = Url("/api/members/applications");

    private static async Task<int> ContactCountAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<JsonElement>(Url($"/api/members/organizations/{id}/contacts"))).GetArrayLength();

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task applying_in_the_name_of_another_networks_member_takes_nothing_over(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var id = await members.CreateOrganizationAsync(NewOrg(name: "Meppener Maschinenbau GmbH", town: "Meppen"));
        await members.MemberAsync(id, "mema");
        await members.AddContactAsync(id, "Anna Abeln", "anna.abeln@example.de", consent: true);
        await members.AddContactAsync(id, "Bernd Bruns", "bernd.bruns@example.de", consent: false);
        var url = Url($"/api/members/organizations/{id}");
        var itManager = members.Manager("it-achse");
        var before = await members.SnapshotAsync();

        var anonymous = await members.Anonymous.PostAsJsonAsync(Applications, new { network = "it-achse", organizationId = id });
        var integrator = await members.Integrator.PostAsJsonAsync(Applications, new { network = "it-achse", organizationId = id });
        var foreignManager = await itManager.PostAsJsonAsync(Applications, new { network = "it-achse", organizationId = id });

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, integrator.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignManager.StatusCode);
        Assert.Equal(before, await members.SnapshotAsync());
        Assert.Equal(1, await ContactCountAsync(itManager, id));
        Assert.Equal(HttpStatusCode.Forbidden, (await itManager.PutAsJsonAsync(url, NewOrg(name: "Übernommen GmbH", town: "Meppen"))).StatusCode);

        // The manager of the network it is a member of applies in its name; the pending application gives IT-Achse nothing more.
        var applied = await members.Manager("mema").PostAsJsonAsync(Applications, new { network = "it-achse", organizationId = id });
        Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        var application = (await applied.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var contacts = await itManager.GetStringAsync(Url($"/api/members/organizations/{id}/contacts"));
        Assert.Contains("anna.abeln@example.de", contacts, StringComparison.Ordinal);
        Assert.DoesNotContain("bernd.bruns", contacts, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await itManager.PutAsJsonAsync(url, NewOrg(name: "Übernommen GmbH", town: "Meppen"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await itManager.PostAsJsonAsync(Url($"/api/members/organizations/{id}/contacts"), new { name = "X", email = "x@example.de" })).StatusCode);

        // Approved: now IT-Achse is responsible; ended: it is not any more.
        (await itManager.PostAsync(Url($"/api/members/applications/{application}/approve"), null)).EnsureSuccessStatusCode();
        Assert.Equal(2, await ContactCountAsync(itManager, id));
        Assert.Equal(HttpStatusCode.OK, (await itManager.PutAsJsonAsync(url, NewOrg(name: "Meppener Maschinenbau AG", town: "Meppen"))).StatusCode);
        (await itManager.PostAsync(Url($"/api/members/memberships/{application}/end"), null)).EnsureSuccessStatusCode();
        Assert.Equal(1, await ContactCountAsync(itManager, id));
        Assert.Equal(HttpStatusCode.Forbidden, (await itManager.PutAsJsonAsync(url, NewOrg(name: "Übernommen GmbH", town: "Meppen"))).StatusCode);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_pending_application_shows_its_networks_managers_only_what_it_submitted_until_it_is_rejected(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var applied = await members.Anonymous.PostAsJsonAsync(Applications, new
        {
            network = "it-achse",
            organization = NewOrg(name: "Haselünner Datentechnik GmbH", town: "Haselünne"),
            contact = new { name = "Remmer Eilers", email = "remmer.eilers@example.de", consentToPublish = true },
        });
        Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        var application = await applied.Content.ReadFromJsonAsync<JsonElement>();
        var id = application.GetProperty("organizationId").GetGuid();
        var url = Url($"/api/members/organizations/{id}");
        var contactsUrl = Url($"/api/members/organizations/{id}/contacts");
        await members.AddContactAsync(id, "Gesa Gerdes", "gesa.gerdes@example.de", consent: false);
        var itManager = members.Manager("it-achse");

        Assert.Equal(HttpStatusCode.NotFound, (await members.Anonymous.GetAsync(url)).StatusCode);
        // Contacts need a role at all (401 for the public); with one, an unlisted organisation is not there.
        Assert.Equal(HttpStatusCode.Unauthorized, (await members.Anonymous.GetAsync(contactsUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await members.Integrator.GetAsync(contactsUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await members.Integrator.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await members.Manager("mema").GetAsync(contactsUrl)).StatusCode);
        Assert.Equal("Haselünner Datentechnik GmbH", (await itManager.GetFromJsonAsync<JsonElement>(url)).GetProperty("name").GetString());
        var submitted = await itManager.GetFromJsonAsync<JsonElement>(contactsUrl);
        Assert.Equal(["remmer.eilers@example.de"], submitted.EnumerateArray().Select(c => c.GetProperty("email").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await itManager.PutAsJsonAsync(url, NewOrg(name: "Umbenannt GmbH", town: "Haselünne"))).StatusCode);
        Assert.Equal(2, await ContactCountAsync(members.Admin, id));

        (await itManager.PostAsJsonAsync(Url($"/api/members/applications/{application.GetProperty("id").GetGuid()}/reject"), new { reason = "Kein IT-Bezug" })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.NotFound, (await itManager.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await itManager.GetAsync(contactsUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await members.Admin.GetAsync(url)).StatusCode);
    }
}
