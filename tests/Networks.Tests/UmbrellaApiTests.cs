using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EmsAchse.Platform.Persistence;
using Xunit;
using static EmsAchse.Networks.Tests.TestApi;

namespace EmsAchse.Networks.Tests;

[Collection(NetworksCollection.Name)]
public sealed class UmbrellaApiTests(NetworksServers servers)
{
    private const string Umbrella = "/api/networks/umbrella";

    private static object ValidUmbrella(string mission = "Neue Mission") => new
    {
        name = "Wachstumsregion Ems-Achse e.V.",
        shortName = "Ems-Achse",
        legalForm = "e.V.",
        founded = 2006,
        mission,
        office = new { street = "Hauptkanal links 60", postalCode = "26871", town = "Papenburg" },
        districts = new[] { "emsland", "grafschaft-bentheim", "leer", "aurich", "wittmund", "EMDEN" },
        memberOrganizations = 720,
        employees = 125000,
        figuresYear = 2024,
        workAreas = new[] { "Kompetenznetzwerke", "Regionale Lobbyarbeit", "Fachkräfteinitiative" },
        website = "https://www.emsachse.de",
    };

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task everyone_reads_the_umbrella_with_the_ems_achse_facts(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);

        var umbrella = await host.ReadAsync(Umbrella);

        Assert.Equal("Wachstumsregion Ems-Achse e.V.", umbrella.GetProperty("name").GetString());
        Assert.Equal("e.V.", umbrella.GetProperty("legalForm").GetString());
        Assert.Equal(2006, umbrella.GetProperty("founded").GetInt32());
        Assert.Equal("Hauptkanal links 60", umbrella.GetProperty("office").GetProperty("street").GetString());
        Assert.Equal("26871", umbrella.GetProperty("office").GetProperty("postalCode").GetString());
        Assert.Equal("Papenburg", umbrella.GetProperty("office").GetProperty("town").GetString());
        Assert.Equal(["emsland", "grafschaft-bentheim", "leer", "aurich", "wittmund", "emden"], umbrella.GetProperty("districts").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(700, umbrella.GetProperty("memberOrganizations").GetInt32());
        Assert.Equal(120000, umbrella.GetProperty("employees").GetInt32());
        Assert.Equal(2021, umbrella.GetProperty("figuresYear").GetInt32());
        Assert.Equal(3, umbrella.GetProperty("workAreas").GetArrayLength());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task an_admin_changes_the_umbrella(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);

        var response = await host.ClientAs("admin").PutAsJsonAsync(Path(Umbrella), ValidUmbrella("Gemeinsam stark"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var umbrella = await host.ReadAsync(Umbrella);
        Assert.Equal("Gemeinsam stark", umbrella.GetProperty("mission").GetString());
        Assert.Equal(720, umbrella.GetProperty("memberOrganizations").GetInt32());
        Assert.Equal("emden", umbrella.GetProperty("districts")[5].GetString());
        Assert.Equal(2, umbrella.GetProperty("version").GetInt64());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite, "name")]
    [InlineData(DatabaseEngine.Postgres, "name")]
    [InlineData(DatabaseEngine.Sqlite, "districts")]
    [InlineData(DatabaseEngine.Postgres, "office.postalCode")]
    [InlineData(DatabaseEngine.Sqlite, "founded")]
    public async Task an_invalid_umbrella_is_refused_with_field_errors_and_changes_nothing(DatabaseEngine engine, string field)
    {
        await using var host = await servers.StartAsync(engine);
        var before = await host.SnapshotAsync(Umbrella);
        var body = JsonSerializer.SerializeToNode(ValidUmbrella(), JsonSerializerOptions.Web)!.AsObject();
        switch (field)
        {
            case "name": body.Remove("name"); break;
            case "districts": body["districts"] = new System.Text.Json.Nodes.JsonArray("emsland", "berlin"); break;
            case "office.postalCode": body["office"]!["postalCode"] = "2687"; break;
            case "founded": body["founded"] = 3000; break;
        }

        var response = await host.ClientAs("admin").PutAsync(Path(Umbrella), new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

        await AssertFieldErrorAsync(response, field);
        Assert.Equal(before, await host.SnapshotAsync(Umbrella));
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("network-manager", HttpStatusCode.Forbidden)]
    [InlineData("integrator", HttpStatusCode.Forbidden)]
    public async Task only_admins_change_the_umbrella(string? role, HttpStatusCode expected)
    {
        await using var host = await servers.StartAsync(DatabaseEngine.Sqlite);
        var before = await host.SnapshotAsync(Umbrella);

        var response = await host.ClientAs(role, "it-achse").PutAsJsonAsync(Path(Umbrella), ValidUmbrella());

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(before, await host.SnapshotAsync(Umbrella));
    }
}
