using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EmsAchse.Platform.Persistence;
using Xunit;

namespace EmsAchse.Networks.Tests;

[Collection(NetworksCollection.Name)]
public sealed class NetworksApiTests(NetworksServers servers)
{
    private static readonly Uri Networks = new("/api/networks", UriKind.Relative);

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task an_admin_registers_a_network_that_everyone_can_read(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        var response = await host.ClientAs("admin").PostAsJsonAsync(Networks, new { slug = "it-achse", name = "IT-Achse", description = "IT", topics = new[] { "it" }, founded = "2012-01-01" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/networks/it-achse", response.Headers.Location?.OriginalString);
        var network = await host.CreateClient().GetFromJsonAsync<JsonElement>(new Uri("/api/networks/it-achse", UriKind.Relative));
        Assert.Equal("IT-Achse", network.GetProperty("name").GetString());
        Assert.Equal("active", network.GetProperty("status").GetString());
        Assert.Equal("2012-01-01", network.GetProperty("founded").GetString());
        var list = await host.CreateClient().GetFromJsonAsync<JsonElement>(Networks);
        Assert.Equal(1, list.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite, "{\"slug\":\"Bad Slug\",\"name\":\"x\"}", "slug")]
    [InlineData(DatabaseEngine.Sqlite, "{\"slug\":\"umbrella\",\"name\":\"x\"}", "slug")]
    [InlineData(DatabaseEngine.Sqlite, "{\"slug\":\"fine-slug\"}", "name")]
    [InlineData(DatabaseEngine.Postgres, "{\"slug\":\"a\",\"name\":\"x\"}", "slug")]
    [InlineData(DatabaseEngine.Postgres, "{\"slug\":\"fine-slug\",\"name\":\"  \"}", "name")]
    public async Task invalid_networks_are_refused_with_field_errors_and_change_nothing(DatabaseEngine engine, string body, string field)
    {
        await using var host = await servers.StartAsync(engine);
        var response = await host.ClientAs("admin").PostAsync(Networks, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}': {problem}");
        await AssertNoNetworksAsync(host);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task malformed_json_is_a_400_problem(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        var response = await host.ClientAs("admin").PostAsync(Networks, new StringContent("{\"slug\": ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertNoNetworksAsync(host);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_taken_slug_is_a_409_and_the_first_network_stays(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        var admin = host.ClientAs("admin");
        (await admin.PostAsJsonAsync(Networks, new { slug = "mema", name = "MEMA" })).EnsureSuccessStatusCode();

        var again = await admin.PostAsJsonAsync(Networks, new { slug = "mema", name = "Other" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var network = await host.CreateClient().GetFromJsonAsync<JsonElement>(new Uri("/api/networks/mema", UriKind.Relative));
        Assert.Equal("MEMA", network.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("integrator", HttpStatusCode.Forbidden)]
    [InlineData("network-manager", HttpStatusCode.Forbidden)]
    public async Task only_admins_register_networks(string? role, HttpStatusCode expected)
    {
        await using var host = await servers.StartAsync(DatabaseEngine.Sqlite);
        var response = await host.ClientAs(role, "it-achse").PostAsJsonAsync(Networks, new { slug = "new-net", name = "New" });

        Assert.Equal(expected, response.StatusCode);
        await AssertNoNetworksAsync(host);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task sites_are_opened_by_the_networks_manager_only_and_validated(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        var admin = host.ClientAs("admin");
        (await admin.PostAsJsonAsync(Networks, new { slug = "it-achse", name = "IT-Achse" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync(Networks, new { slug = "mema", name = "MEMA" })).EnsureSuccessStatusCode();
        var site = new { name = "Lingen", town = "Lingen (Ems)", district = "emsland" };

        var foreign = await host.ClientAs("network-manager", "it-achse").PostAsJsonAsync(new Uri("/api/networks/mema/sites", UriKind.Relative), site);
        var badDistrict = await host.ClientAs("network-manager", "it-achse").PostAsJsonAsync(new Uri("/api/networks/it-achse/sites", UriKind.Relative), site with { district = "berlin" });
        var unknown = await admin.PostAsJsonAsync(new Uri("/api/networks/nope/sites", UriKind.Relative), site);
        var own = await host.ClientAs("network-manager", "it-achse").PostAsJsonAsync(new Uri("/api/networks/it-achse/sites", UriKind.Relative), site);
        var twice = await admin.PostAsJsonAsync(new Uri("/api/networks/it-achse/sites", UriKind.Relative), site with { name = "LINGEN" });

        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badDistrict.StatusCode);
        Assert.True((await badDistrict.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("district", out _));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        var mema = await host.CreateClient().GetFromJsonAsync<JsonElement>(new Uri("/api/networks/mema", UriKind.Relative));
        Assert.Equal(0, mema.GetProperty("sites").GetArrayLength());
        var it = await host.CreateClient().GetFromJsonAsync<JsonElement>(new Uri("/api/networks/it-achse", UriKind.Relative));
        Assert.Equal(1, it.GetProperty("sites").GetArrayLength());
    }

    [Fact]
    public async Task an_unknown_network_is_a_404_problem()
    {
        await using var host = await servers.StartAsync(DatabaseEngine.Sqlite);
        var response = await host.CreateClient().GetAsync(new Uri("/api/networks/does-not-exist", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task AssertNoNetworksAsync(EmsAchse.TestSupport.ServiceHost<Program> host)
    {
        var list = await host.CreateClient().GetFromJsonAsync<JsonElement>(Networks);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }
}
