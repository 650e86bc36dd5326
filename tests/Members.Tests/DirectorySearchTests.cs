using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Platform.Persistence;
using Xunit;
using static EmsAchse.Members.Tests.MembersService;

namespace EmsAchse.Members.Tests;

[Collection(MembersCollection.Name)]
public sealed class DirectorySearchTests(MembersServers servers)
{
    private static async Task<(MembersService Members, Dictionary<string, Guid> Ids)> StartWithOrganizationsAsync(MembersServers servers, DatabaseEngine engine)
    {
        var members = await servers.StartAsync(engine);
        var ids = new Dictionary<string, Guid>
        {
            ["holzbau"] = await members.CreateOrganizationAsync(NewOrg("Haselünner Holzbau GmbH", "Haselünne", "emsland", industries: ["wood"])),
            ["software"] = await members.CreateOrganizationAsync(NewOrg("Lingener Software GmbH", "Lingen (Ems)", "emsland", industries: ["it"])),
            ["kunststoff"] = await members.CreateOrganizationAsync(NewOrg("Nordhorner Kunststofftechnik GmbH", "Nordhorn", "grafschaft-bentheim", industries: ["plastics"])),
            ["logistik"] = await members.CreateOrganizationAsync(NewOrg("Mueller Logistik KG", "Emden", "emden", industries: ["logistics", "it"])),
            ["hochschule"] = await members.CreateOrganizationAsync(NewOrg("Hochschule Emden/Leer", "Emden", "emden", "education", ["education-research"])),
            ["reederei"] = await members.CreateOrganizationAsync(NewOrg("Reederei Janssen GmbH & Co. KG", "Leer (Ostfriesland)", "leer", industries: ["shipping"])),
        };
        await members.MemberAsync(ids["software"], "it-achse");
        await members.MemberAsync(ids["logistik"], "it-achse");
        await members.ApplyAsync(ids["hochschule"], "it-achse");
        return (members, ids);
    }

    /// <summary>Searches as admin over every organisation (most here are nobody's member); what the public sees is in DirectoryVisibilityTests.</summary>
    private static async Task<List<Guid>> FindAsync(MembersService members, string query)
    {
        var page = await members.Admin.GetFromJsonAsync<JsonElement>(Url($"/api/members/organizations?{query}&includeUnlisted=true"));
        var items = page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(items.Count, page.GetProperty("total").GetInt32());
        return items;
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task text_search_ignores_case_and_accents_folds_umlauts_both_ways_and_matches_word_prefixes(DatabaseEngine engine)
    {
        var (members, ids) = await StartWithOrganizationsAsync(servers, engine);
        await using var _ = members;

        foreach (var q in new[] { "haselunne", "haseluenne", "Haselünne", "HASELÜNNE", "haselü", "hasel" })
        {
            Assert.Equal([ids["holzbau"]], await FindAsync(members, $"q={Uri.EscapeDataString(q)}"));
        }
        Assert.Equal([ids["software"]], await FindAsync(members, "q=lingen"));
        Assert.Equal([ids["software"]], await FindAsync(members, "q=Lingen%20(Ems)"));
        Assert.Equal([ids["kunststoff"]], await FindAsync(members, "q=kunst"));
        Assert.Equal([ids["logistik"]], await FindAsync(members, $"q={Uri.EscapeDataString("Müller")}"));
        Assert.Equal([ids["logistik"]], await FindAsync(members, "q=mueller%20emden"));
        // Industries are searchable by code and by German name.
        Assert.Equal([ids["reederei"]], await FindAsync(members, "q=schifffahrt"));
        Assert.Equal([ids["kunststoff"]], await FindAsync(members, "q=plastics"));
        Assert.Empty(await FindAsync(members, "q=kunststoff%20emden"));
        Assert.Empty(await FindAsync(members, "q=zzz"));
        Assert.Equal(6, (await FindAsync(members, "q=%20!!%20")).Count);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task filters_combine_with_each_other_and_with_text(DatabaseEngine engine)
    {
        var (members, ids) = await StartWithOrganizationsAsync(servers, engine);
        await using var _ = members;

        Assert.Equal([ids["holzbau"], ids["software"]], await FindAsync(members, "district=emsland"));
        Assert.Equal([ids["hochschule"], ids["logistik"], ids["reederei"]], await FindAsync(members, "region=ostfriesland"));
        Assert.Equal([ids["software"], ids["logistik"]], (await FindAsync(members, "industry=it")).OrderBy(id => id == ids["logistik"]).ToList());
        Assert.Equal([ids["hochschule"]], await FindAsync(members, "kind=education"));
        // network= lists active members only; the Hochschule has merely applied.
        Assert.Equal([ids["software"], ids["logistik"]], (await FindAsync(members, "network=it-achse")).OrderBy(id => id == ids["logistik"]).ToList());
        Assert.Equal([ids["logistik"]], await FindAsync(members, "network=it-achse&region=ostfriesland&industry=logistics&kind=company&q=emden"));
        Assert.Equal([ids["hochschule"], ids["logistik"]], await FindAsync(members, "q=emden&district=emden"));
        Assert.Empty(await FindAsync(members, "q=emden&district=emsland"));
        Assert.Empty(await FindAsync(members, "network=mema"));
        var organization = (await members.Anonymous.GetFromJsonAsync<JsonElement>(Url("/api/members/organizations?network=it-achse&district=emsland"))).GetProperty("items")[0];
        Assert.Equal(["it-achse"], organization.GetProperty("networks").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task pages_are_stable_in_name_order_with_the_total_of_all_matches(DatabaseEngine engine)
    {
        var (members, _) = await StartWithOrganizationsAsync(servers, engine);
        await using var __ = members;

        var pages = new List<JsonElement>();
        for (var page = 1; page <= 4; page++)
        {
            pages.Add(await members.Admin.GetFromJsonAsync<JsonElement>(Url($"/api/members/organizations?pageSize=4&page={page}&includeUnlisted=true")));
        }

        Assert.All(pages, p => Assert.Equal(6, p.GetProperty("total").GetInt32()));
        Assert.Equal([4, 2, 0, 0], pages.Select(p => p.GetProperty("items").GetArrayLength()));
        Assert.Equal(2, pages[1].GetProperty("page").GetInt32());
        Assert.Equal(4, pages[1].GetProperty("pageSize").GetInt32());
        var names = pages.SelectMany(p => p.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("name").GetString()!)).ToList();
        Assert.Equal(
            ["Haselünner Holzbau GmbH", "Hochschule Emden/Leer", "Lingener Software GmbH", "Mueller Logistik KG", "Nordhorner Kunststofftechnik GmbH", "Reederei Janssen GmbH & Co. KG"],
            names);
        var textPage = await members.Admin.GetFromJsonAsync<JsonElement>(Url("/api/members/organizations?q=gmbh&pageSize=2&page=2&includeUnlisted=true"));
        Assert.Equal(4, textPage.GetProperty("total").GetInt32());
        Assert.Equal(["Nordhorner Kunststofftechnik GmbH", "Reederei Janssen GmbH & Co. KG"], textPage.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("district=berlin", "district")]
    [InlineData("region=bayern", "region")]
    [InlineData("industry=banking", "industry")]
    [InlineData("kind=shop", "kind")]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=201", "pageSize")]
    public async Task invalid_directory_queries_are_400_with_field_errors(string query, string field)
    {
        await using var members = await servers.StartAsync(DatabaseEngine.Sqlite);
        var response = await members.Anonymous.GetAsync(Url($"/api/members/organizations?{query}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task an_overlong_query_is_a_400()
    {
        await using var members = await servers.StartAsync(DatabaseEngine.Sqlite);
        var response = await members.Anonymous.GetAsync(Url($"/api/members/organizations?q={new string('a', 201)}"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
