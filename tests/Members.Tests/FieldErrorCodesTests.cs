using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Platform.Persistence;
using Xunit;
using static EmsAchse.Members.Tests.MembersService;

namespace EmsAchse.Members.Tests;

/// <summary>Every field error carries a stable code beside its English text, and the errors keep their shape.</summary>
[Collection(MembersCollection.Name)]
public sealed class FieldErrorCodesTests(MembersServers servers)
{
    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    public async Task an_invalid_application_names_a_code_for_each_field_error_beside_the_unchanged_errors(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var response = await members.Anonymous.PostAsJsonAsync(Url("/api/members/applications"), new
        {
            network = "it-achse",
            organization = new { name = new string('a', 201), kind = "company", district = "berlin", town = "", website = "ftp://x", industries = new[] { "it" } },
            contact = new { name = "", email = "not-an-address" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        // The existing shape: field to English strings.
        Assert.Equal(JsonValueKind.String, errors.GetProperty("organization.name")[0].ValueKind);
        var codes = problem.GetProperty("errorCodes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(c => c.GetString()).ToList());
        Assert.Equal(errors.EnumerateObject().Select(e => e.Name).Order(), codes.Keys.Order());
        Assert.Equal(["too-long"], codes["organization.name"]);
        Assert.Equal(["unknown-district"], codes["organization.district"]);
        Assert.Equal(["required"], codes["organization.town"]);
        Assert.Equal(["invalid-url"], codes["organization.website"]);
        Assert.Equal(["required"], codes["contact.name"]);
        Assert.Equal(["invalid-email"], codes["contact.email"]);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    public async Task a_contact_without_any_way_to_reach_it_and_bad_paging_have_their_codes(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var id = await members.CreateOrganizationAsync(NewOrg());

        var contact = await (await members.Admin.PostAsJsonAsync(Url($"/api/members/organizations/{id}/contacts"), new { name = "Anna Abeln" })).Content.ReadFromJsonAsync<JsonElement>();
        var paging = await (await members.Anonymous.GetAsync(Url("/api/members/organizations?pageSize=500"))).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("email-or-phone-required", contact.GetProperty("errorCodes").GetProperty("email")[0].GetString());
        Assert.Equal("out-of-range", paging.GetProperty("errorCodes").GetProperty("pageSize")[0].GetString());
    }
}
