using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EmsAchse.Platform.Persistence;
using EmsAchse.TestSupport;
using Xunit;
using static EmsAchse.Members.Tests.MembersService;

namespace EmsAchse.Members.Tests;

[Collection(MembersCollection.Name)]
public sealed class OrganizationsApiTests(MembersServers servers)
{
    private static readonly Uri Organizations = Url("/api/members/organizations");

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task an_admin_registers_an_organisation_that_the_public_reads_with_its_region(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var response = await members.Admin.PostAsJsonAsync(Organizations, NewOrg(industries: ["IT", "services", "it"]));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/members/organizations/{id}", response.Headers.Location?.OriginalString);
        // Nobody's member yet: the public does not see it, the admin does.
        Assert.Equal(HttpStatusCode.NotFound, (await members.Anonymous.GetAsync(Url($"/api/members/organizations/{id}"))).StatusCode);
        var read = await members.Admin.GetFromJsonAsync<JsonElement>(Url($"/api/members/organizations/{id}"));
        Assert.Equal("Emsland Software GmbH", read.GetProperty("name").GetString());
        Assert.Equal("company", read.GetProperty("kind").GetString());
        Assert.Equal("emsland", read.GetProperty("district").GetString());
        Assert.Equal("emsland", read.GetProperty("region").GetString());
        Assert.Equal("Lingen (Ems)", read.GetProperty("town").GetString());
        Assert.Equal("https://www.emsland-software.de", read.GetProperty("website").GetString());
        Assert.Equal("10-49", read.GetProperty("employees").GetString());
        Assert.Equal(["it", "services"], read.GetProperty("industries").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, read.GetProperty("networks").GetArrayLength());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite, "{\"kind\":\"company\",\"district\":\"emsland\",\"town\":\"Meppen\"}", "name")]
    [InlineData(DatabaseEngine.Sqlite, "{\"name\":\"A\",\"kind\":\"shop\",\"district\":\"emsland\",\"town\":\"Meppen\"}", "kind")]
    [InlineData(DatabaseEngine.Sqlite, "{\"name\":\"A\",\"kind\":\"company\",\"district\":\"berlin\",\"town\":\"Meppen\"}", "district")]
    [InlineData(DatabaseEngine.Sqlite, "{\"name\":\"A\",\"kind\":\"company\",\"district\":\"emsland\",\"town\":\" \"}", "town")]
    [InlineData(DatabaseEngine.Sqlite, "{\"name\":\"A\",\"kind\":\"company\",\"district\":\"emsland\",\"town\":\"Meppen\",\"website\":\"ftp://a.de\"}", "website")]
    [InlineData(DatabaseEngine.Sqlite, "{\"name\":\"A\",\"kind\":\"company\",\"district\":\"emsland\",\"town\":\"Meppen\",\"website\":\"www.a.de\"}", "website")]
    [InlineData(DatabaseEngine.Sqlite, "{\"name\":\"A\",\"kind\":\"company\",\"district\":\"emsland\",\"town\":\"Meppen\",\"industries\":[\"banking\"]}", "industries")]
    [InlineData(DatabaseEngine.Sqlite, "{\"name\":\"A\",\"kind\":\"company\",\"district\":\"emsland\",\"town\":\"Meppen\",\"employees\":\"12\"}", "employees")]
    [InlineData(DatabaseEngine.Postgres, "{\"name\":\"  \",\"kind\":\"company\",\"district\":\"emsland\",\"town\":\"Meppen\"}", "name")]
    [InlineData(DatabaseEngine.Postgres, "{\"name\":\"A\",\"kind\":\"company\",\"district\":\"emsland\",\"town\":\"Meppen\",\"website\":\"javascript:alert(1)\"}", "website")]
    public async Task invalid_organisations_are_refused_with_field_errors_and_change_nothing(DatabaseEngine engine, string body, string field)
    {
        await using var members = await servers.StartAsync(engine);
        var before = await members.SnapshotAsync();

        var response = await members.Admin.PostAsync(Organizations, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}': {problem}");
        Assert.Equal(before, await members.SnapshotAsync());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task the_same_name_in_the_same_town_is_a_409_naming_the_existing_organisation(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var id = await members.CreateOrganizationAsync(NewOrg(name: "Müller Holzbau GmbH", town: "Haselünne"));
        var before = await members.SnapshotAsync();

        var again = await members.Admin.PostAsJsonAsync(Organizations, NewOrg(name: "  MUELLER holzbau  GmbH ", town: "haseluenne"));
        var elsewhere = await members.Admin.PostAsJsonAsync(Organizations, NewOrg(name: "Müller Holzbau GmbH", town: "Meppen"));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var problem = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(id.ToString(), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(id, problem.GetProperty("existingId").GetGuid());
        Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
        Assert.NotEqual(before, await members.SnapshotAsync());
        var list = await members.Admin.GetFromJsonAsync<JsonElement>(Url("/api/members/organizations?q=holzbau&includeUnlisted=true"));
        Assert.Equal(2, list.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task the_manager_of_a_member_network_changes_the_organisation_and_others_may_not(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var id = await members.CreateOrganizationAsync(NewOrg());
        var other = await members.CreateOrganizationAsync(NewOrg(name: "Nordhorn Kunststoff GmbH", town: "Nordhorn", district: "grafschaft-bentheim"));
        await members.MemberAsync(id, "it-achse");
        var url = Url($"/api/members/organizations/{id}");
        var changed = NewOrg(name: "Emsland Software AG", town: "Meppen", industries: ["it", "energy"]);
        var before = await members.SnapshotAsync();

        var anonymous = await members.Anonymous.PutAsJsonAsync(url, changed);
        var foreign = await members.Manager("mema").PutAsJsonAsync(url, changed);
        var integrator = await members.Integrator.PutAsJsonAsync(url, changed);
        var unknown = await members.Admin.PutAsJsonAsync(Url($"/api/members/organizations/{Guid.NewGuid()}"), changed);
        var invalid = await members.Manager("it-achse").PutAsJsonAsync(url, NewOrg(district: "hamburg"));
        var duplicate = await members.Manager("it-achse").PutAsJsonAsync(url, NewOrg(name: "Nordhorn Kunststoff GmbH", town: "Nordhorn", district: "grafschaft-bentheim"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, integrator.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True((await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("district", out _));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(other, (await duplicate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("existingId").GetGuid());
        Assert.Equal(before, await members.SnapshotAsync());

        var own = await members.Manager("it-achse").PutAsJsonAsync(url, changed);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var read = await members.Anonymous.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal("Emsland Software AG", read.GetProperty("name").GetString());
        Assert.Equal("Meppen", read.GetProperty("town").GetString());
        Assert.Equal(2, read.GetProperty("version").GetInt64());
        Assert.Equal(["energy", "it"], read.GetProperty("industries").EnumerateArray().Select(e => e.GetString()));
        var found = await members.Anonymous.GetFromJsonAsync<JsonElement>(Url("/api/members/organizations?q=meppen"));
        Assert.Equal(1, found.GetProperty("total").GetInt32());
        var gone = await members.Anonymous.GetFromJsonAsync<JsonElement>(Url("/api/members/organizations?q=lingen"));
        Assert.Equal(0, gone.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task renaming_an_organisation_publishes_its_new_name_kind_and_district_with_the_organisations_version(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var id = await members.CreateOrganizationAsync(NewOrg());
        await members.MemberAsync(id, "it-achse");
        var url = Url($"/api/members/organizations/{id}");

        var renamed = await members.Manager("it-achse").PutAsJsonAsync(url, NewOrg(name: "Emsland Software AG"));
        var moved = await members.Admin.PutAsJsonAsync(url, NewOrg(name: "Ostfriesland Software e.V.", kind: "association", district: "leer", town: "Leer (Ostfriesland)"));

        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var events = await members.OutboxAsync("OrganizationUpdated");
        Assert.Equal(2, events.Count);
        var (first, second) = (events[0].Body, events[1].Body);
        Assert.Equal(id, first.GetProperty("organizationId").GetGuid());
        Assert.Equal("Emsland Software AG", first.GetProperty("name").GetString());
        Assert.Equal("company", first.GetProperty("kind").GetString());
        Assert.Equal("emsland", first.GetProperty("district").GetString());
        Assert.Equal(2, first.GetProperty("version").GetInt64());
        Assert.Equal("Ostfriesland Software e.V.", second.GetProperty("name").GetString());
        Assert.Equal("association", second.GetProperty("kind").GetString());
        Assert.Equal("leer", second.GetProperty("district").GetString());
        Assert.Equal(3, second.GetProperty("version").GetInt64());
        Assert.Equal(3, (await members.Anonymous.GetFromJsonAsync<JsonElement>(url)).GetProperty("version").GetInt64());
        // The dispatcher marks an event sent once the broker has confirmed it.
        await Eventually.SucceedsAsync(async () =>
            Assert.All(await members.OutboxAsync("OrganizationUpdated"), e => Assert.True(e.Sent)));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task an_update_that_changes_nothing_other_services_copy_publishes_nothing(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var id = await members.CreateOrganizationAsync(NewOrg());
        await members.MemberAsync(id, "it-achse");
        var url = Url($"/api/members/organizations/{id}");

        var same = await members.Admin.PutAsJsonAsync(url, NewOrg());
        var elsewhere = await members.Admin.PutAsJsonAsync(url, NewOrg(town: "Meppen", industries: ["it", "energy"], website: "https://www.emsland-software.com"));

        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        var read = await members.Anonymous.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal("Meppen", read.GetProperty("town").GetString());
        Assert.Equal(3, read.GetProperty("version").GetInt64());
        Assert.Equal(0, await members.EventsAsync("OrganizationUpdated"));
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("integrator", HttpStatusCode.Forbidden)]
    public async Task only_admins_and_managers_register_organisations(string? role, HttpStatusCode expected)
    {
        await using var members = await servers.StartAsync(DatabaseEngine.Sqlite);
        var before = await members.SnapshotAsync();

        var response = await members.Host.ClientAs(role).PostAsJsonAsync(Organizations, NewOrg());

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(before, await members.SnapshotAsync());
        var manager = await members.Manager("it-achse").PostAsJsonAsync(Organizations, NewOrg());
        Assert.Equal(HttpStatusCode.Created, manager.StatusCode);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task an_unknown_organisation_is_a_404_problem(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var response = await members.Anonymous.GetAsync(Url($"/api/members/organizations/{Guid.NewGuid()}"));
        var contacts = await members.Integrator.GetAsync(Url($"/api/members/organizations/{Guid.NewGuid()}/contacts"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, contacts.StatusCode);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task contacts_are_public_only_with_consent_and_never_show_an_unconsented_email(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var id = await members.CreateOrganizationAsync(NewOrg());
        await members.MemberAsync(id, "it-achse");
        await members.AddContactAsync(id, "Anna Abeln", "anna.abeln@emsland-software.de", consent: true);
        await members.AddContactAsync(id, "Bernd Bruns", "bernd.bruns@emsland-software.de", consent: false);
        var contactsUrl = Url($"/api/members/organizations/{id}/contacts");

        // As at the gateway: the contact list needs a role; anonymous callers see consenting contacts in the directory.
        Assert.Equal(HttpStatusCode.Unauthorized, (await members.Anonymous.GetAsync(contactsUrl)).StatusCode);
        var integratorContacts = await members.Integrator.GetStringAsync(contactsUrl);
        var foreignManager = await members.Manager("mema").GetStringAsync(contactsUrl);
        var ownManager = await members.Manager("it-achse").GetFromJsonAsync<JsonElement>(contactsUrl);
        var admin = await members.Admin.GetFromJsonAsync<JsonElement>(contactsUrl);
        var organization = await members.Anonymous.GetStringAsync(Url($"/api/members/organizations/{id}"));
        var directory = await members.Anonymous.GetStringAsync(Organizations);

        foreach (var publicView in new[] { integratorContacts, foreignManager, organization, directory })
        {
            Assert.Contains("anna.abeln@emsland-software.de", publicView, StringComparison.Ordinal);
            Assert.DoesNotContain("bernd.bruns", publicView, StringComparison.Ordinal);
            Assert.DoesNotContain("Bernd Bruns", publicView, StringComparison.Ordinal);
        }
        Assert.Equal(2, ownManager.GetArrayLength());
        Assert.Equal(2, admin.GetArrayLength());
        Assert.Contains(admin.EnumerateArray(), c => c.GetProperty("email").GetString() == "bernd.bruns@emsland-software.de" && !c.GetProperty("consentToPublish").GetBoolean());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task adding_a_contact_is_validated_and_limited_to_admins_and_the_members_network_managers(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var id = await members.CreateOrganizationAsync(NewOrg());
        await members.MemberAsync(id, "it-achse");
        var url = Url($"/api/members/organizations/{id}/contacts");
        var contact = new { name = "Imke Janssen", email = "imke.janssen@example.de", phone = "+49 591 1234", role = "Vertrieb", consentToPublish = true };
        var before = await members.SnapshotAsync();

        var anonymous = await members.Anonymous.PostAsJsonAsync(url, contact);
        var foreign = await members.Manager("mema").PostAsJsonAsync(url, contact);
        var unknown = await members.Admin.PostAsJsonAsync(Url($"/api/members/organizations/{Guid.NewGuid()}/contacts"), contact);
        var badEmail = await members.Admin.PostAsJsonAsync(url, contact with { email = "imke at example" });
        var noName = await members.Admin.PostAsJsonAsync(url, contact with { name = "" });
        var badPhone = await members.Admin.PostAsJsonAsync(url, contact with { phone = "call me maybe" });

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        foreach (var (response, field) in new[] { (badEmail, "email"), (noName, "name"), (badPhone, "phone") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), field);
        }
        Assert.Equal(before, await members.SnapshotAsync());

        var own = await members.Manager("it-achse").PostAsJsonAsync(url, contact);

        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        var added = await own.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("imke.janssen@example.de", added.GetProperty("email").GetString());
        Assert.Equal(1, (await members.Admin.GetFromJsonAsync<JsonElement>(url)).GetArrayLength());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task export_returns_every_fact_and_erase_removes_personal_data_but_keeps_business_facts_and_history(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var id = await members.CreateOrganizationAsync(NewOrg());
        var membership = await members.MemberAsync(id, "it-achse");
        await members.AddContactAsync(id, "Anna Abeln", "anna.abeln@emsland-software.de", consent: true);
        await members.AddContactAsync(id, "Bernd Bruns", "bernd.bruns@emsland-software.de", consent: false);
        var exportUrl = Url($"/api/members/organizations/{id}/export");
        var eraseUrl = Url($"/api/members/organizations/{id}/erase");

        var export = await members.Admin.GetFromJsonAsync<JsonElement>(exportUrl);
        Assert.Equal("Emsland Software GmbH", export.GetProperty("organization").GetProperty("name").GetString());
        Assert.Equal("Kaiserstraße 1, 49809 Lingen (Ems)", export.GetProperty("organization").GetProperty("address").GetString());
        Assert.Equal(2, export.GetProperty("contacts").GetArrayLength());
        Assert.Contains(export.GetProperty("contacts").EnumerateArray(), c => c.GetProperty("email").GetString() == "bernd.bruns@emsland-software.de" && c.GetProperty("phone").GetString() == "+49 591 12345");
        Assert.Equal(membership, export.GetProperty("memberships")[0].GetProperty("id").GetGuid());
        Assert.Equal("active", export.GetProperty("memberships")[0].GetProperty("status").GetString());

        var before = await members.SnapshotAsync();
        var managerExport = await members.Manager("it-achse").GetAsync(exportUrl);
        var managerErase = await members.Manager("it-achse").PostAsync(eraseUrl, null);
        var anonymousErase = await members.Anonymous.PostAsync(eraseUrl, null);
        var unknownExport = await members.Admin.GetAsync(Url($"/api/members/organizations/{Guid.NewGuid()}/export"));
        var unknownErase = await members.Admin.PostAsync(Url($"/api/members/organizations/{Guid.NewGuid()}/erase"), null);
        Assert.Equal(HttpStatusCode.Forbidden, managerExport.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, managerErase.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousErase.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownExport.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownErase.StatusCode);
        Assert.Equal(before, await members.SnapshotAsync());

        var erased = await members.Admin.PostAsync(eraseUrl, null);

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Equal(2, (await erased.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("erasedContacts").GetInt32());
        var after = await members.Admin.GetStringAsync(exportUrl);
        Assert.DoesNotContain("Anna", after, StringComparison.Ordinal);
        Assert.DoesNotContain("abeln", after, StringComparison.Ordinal);
        Assert.DoesNotContain("bruns", after, StringComparison.Ordinal);
        Assert.DoesNotContain("+49 591 12345", after, StringComparison.Ordinal);
        var exportAfter = JsonDocument.Parse(after).RootElement;
        Assert.Equal(0, exportAfter.GetProperty("contacts").GetArrayLength());
        Assert.Equal("Emsland Software GmbH", exportAfter.GetProperty("organization").GetProperty("name").GetString());
        Assert.NotEqual(JsonValueKind.Null, exportAfter.GetProperty("organization").GetProperty("erasedAt").ValueKind);
        Assert.Equal("active", exportAfter.GetProperty("memberships")[0].GetProperty("status").GetString());
        Assert.Equal(1, await members.EventsAsync("OrganizationErased"));
        Assert.Equal(0, (await members.Integrator.GetFromJsonAsync<JsonElement>(Url($"/api/members/organizations/{id}/contacts"))).GetArrayLength());
    }
}
