using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.TestSupport;
using Xunit;

namespace EmsAchse.EndToEnd.Tests;

/// <summary>Memberships decided in the members service reach the networks service's member count and list through the real broker.</summary>
[Collection(ThreeServicesCollection.Name)]
public sealed class MembershipFlowTests(ThreeServices platform)
{
    private static Uri Url(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task an_approved_application_appears_in_the_networks_member_count_and_list_and_leaves_it_when_ended()
    {
        var slug = $"flow-{Guid.NewGuid():N}"[..20];
        (await platform.Networks.ClientAs("admin").PostAsJsonAsync(Url("/api/networks"), new { slug, name = "Flussnetz", description = "e2e", topics = new[] { "it" } })).EnsureSuccessStatusCode();
        var name = $"Haselünner Datentechnik {Guid.NewGuid():N}"[..32];

        // members takes applications once NetworkRegistered has filled its catalogue copy.
        var applicant = platform.Members.CreateClient();
        HttpResponseMessage? applied = null;
        await Eventually.SucceedsAsync(async () =>
        {
            applied = await applicant.PostAsJsonAsync(Url("/api/members/applications"), new
            {
                network = slug,
                organization = new { name, kind = "company", district = "emsland", town = "Haselünne", website = "https://www.example.de", industries = new[] { "it" } },
                contact = new { name = "Imke Janssen", email = "imke.janssen@example.de", consentToPublish = false },
            });
            Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        });
        var application = await applied!.Content.ReadFromJsonAsync<JsonElement>();
        var applicationId = application.GetProperty("id").GetGuid();
        var organizationId = application.GetProperty("organizationId").GetGuid();

        // A second organisation is rejected: it must never count.
        var rejectedApplication = await applicant.PostAsJsonAsync(Url("/api/members/applications"), new
        {
            network = slug,
            organization = new { name = name + " Zwei", kind = "company", district = "leer", town = "Leer (Ostfriesland)" },
        });
        Assert.Equal(HttpStatusCode.Created, rejectedApplication.StatusCode);
        var rejectedId = (await rejectedApplication.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var manager = platform.Members.ClientAs("network-manager", slug);
        Assert.Equal(HttpStatusCode.Forbidden, (await platform.Members.ClientAs("network-manager", "it-achse").PostAsync(Url($"/api/members/applications/{applicationId}/approve"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsync(Url($"/api/members/applications/{applicationId}/approve"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsJsonAsync(Url($"/api/members/applications/{rejectedId}/reject"), new { reason = "e2e" })).StatusCode);

        await Eventually.SucceedsAsync(async () =>
        {
            var network = await platform.Networks.CreateClient().GetFromJsonAsync<JsonElement>(Url($"/api/networks/{slug}"));
            Assert.Equal(1, network.GetProperty("activeMemberCount").GetInt32());
            var list = await platform.Networks.CreateClient().GetFromJsonAsync<JsonElement>(Url($"/api/networks/{slug}/members"));
            Assert.Equal(1, list.GetProperty("total").GetInt32());
            var member = list.GetProperty("items")[0];
            Assert.Equal(organizationId, member.GetProperty("organizationId").GetGuid());
            Assert.Equal(name, member.GetProperty("organizationName").GetString());
            Assert.Equal("emsland", member.GetProperty("district").GetString());
        });
        // The networks service keeps organisation facts only, never the contact's personal data.
        var members = await platform.Networks.CreateClient().GetStringAsync(Url($"/api/networks/{slug}/members"));
        Assert.DoesNotContain("imke", members, StringComparison.OrdinalIgnoreCase);

        (await manager.PostAsync(Url($"/api/members/memberships/{applicationId}/end"), null)).EnsureSuccessStatusCode();

        await Eventually.SucceedsAsync(async () =>
        {
            var network = await platform.Networks.CreateClient().GetFromJsonAsync<JsonElement>(Url($"/api/networks/{slug}"));
            Assert.Equal(0, network.GetProperty("activeMemberCount").GetInt32());
            var ended = await platform.Networks.CreateClient().GetFromJsonAsync<JsonElement>(Url($"/api/networks/{slug}/members?status=ended"));
            Assert.Equal(organizationId, ended.GetProperty("items")[0].GetProperty("organizationId").GetGuid());
        });
    }

    [Fact]
    public async Task a_member_renamed_in_members_shows_its_new_name_in_the_networks_member_list()
    {
        var slug = $"rename-{Guid.NewGuid():N}"[..20];
        (await platform.Networks.ClientAs("admin").PostAsJsonAsync(Url("/api/networks"), new { slug, name = "Umbenennungsnetz", description = "e2e", topics = new[] { "it" } })).EnsureSuccessStatusCode();
        var name = $"Papenburger Werft {Guid.NewGuid():N}"[..30];
        var organization = new { name, kind = "company", district = "emsland", town = "Papenburg", industries = new[] { "shipbuilding" } };
        HttpResponseMessage? applied = null;
        await Eventually.SucceedsAsync(async () =>
        {
            applied = await platform.Members.CreateClient().PostAsJsonAsync(Url("/api/members/applications"), new { network = slug, organization });
            Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        });
        var application = await applied!.Content.ReadFromJsonAsync<JsonElement>();
        var organizationId = application.GetProperty("organizationId").GetGuid();
        var manager = platform.Members.ClientAs("network-manager", slug);
        (await manager.PostAsync(Url($"/api/members/applications/{application.GetProperty("id").GetGuid()}/approve"), null)).EnsureSuccessStatusCode();
        var membersUrl = Url($"/api/networks/{slug}/members");
        await Eventually.SucceedsAsync(async () =>
            Assert.Equal(name, (await platform.Networks.CreateClient().GetFromJsonAsync<JsonElement>(membersUrl)).GetProperty("items")[0].GetProperty("organizationName").GetString()));

        var renamed = await manager.PutAsJsonAsync(Url($"/api/members/organizations/{organizationId}"), organization with { name = name + " AG", district = "leer", town = "Leer (Ostfriesland)" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);

        await Eventually.SucceedsAsync(async () =>
        {
            var member = Assert.Single((await platform.Networks.CreateClient().GetFromJsonAsync<JsonElement>(membersUrl)).GetProperty("items").EnumerateArray());
            Assert.Equal(organizationId, member.GetProperty("organizationId").GetGuid());
            Assert.Equal(name + " AG", member.GetProperty("organizationName").GetString());
            Assert.Equal("leer", member.GetProperty("district").GetString());
            Assert.Equal("ostfriesland", member.GetProperty("region").GetString());
        });
    }
}
