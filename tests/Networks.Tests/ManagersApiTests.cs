using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Platform.Persistence;
using Xunit;
using static EmsAchse.Networks.Tests.TestApi;

namespace EmsAchse.Networks.Tests;

/// <summary>GET/POST /api/networks/{slug}/managers and DELETE .../{id}; managers are personal data.</summary>
[Collection(NetworksCollection.Name)]
public sealed class ManagersApiTests(NetworksServers servers)
{
    private const string Managers = "/api/networks/it-achse/managers";

    private static async Task<(Guid SiteId, Guid ManagerId)> ItAchseWithManagerAsync(EmsAchse.TestSupport.ServiceHost<Program> host)
    {
        await host.RegisterAsync("it-achse", "IT-Achse");
        var siteId = await host.OpenSiteAsync("it-achse", "Lingen");
        var added = await host.ClientAs("admin").PostAsJsonAsync(Path(Managers), new { name = "Anna Beispiel", email = "anna@it-achse.example", phone = "+49 591 123456", siteId });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var manager = await added.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"{Managers}/{manager.GetProperty("id").GetGuid()}", added.Headers.Location?.OriginalString);
        return (siteId, manager.GetProperty("id").GetGuid());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task other_callers_with_a_role_see_a_managers_name_and_site_but_never_email_or_phone_and_anonymous_nothing(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        var (siteId, managerId) = await ItAchseWithManagerAsync(host);

        // As at the gateway: managers are not part of the public catalogue.
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.CreateClient().GetAsync(Path(Managers))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.CreateClient().GetAsync(Path($"{Managers}/{managerId}"))).StatusCode);
        foreach (var (role, networks) in new[] { ("integrator", Array.Empty<string>()), ("network-manager", ["mema"]) })
        {
            var list = await host.ReadAsync(Managers, role, networks);
            var one = await host.ReadAsync($"{Managers}/{managerId}", role, networks);
            foreach (var manager in new[] { list.GetProperty("items")[0], one })
            {
                Assert.Equal("Anna Beispiel", manager.GetProperty("name").GetString());
                Assert.Equal(siteId, manager.GetProperty("siteId").GetGuid());
                Assert.Equal("Lingen", manager.GetProperty("siteName").GetString());
                Assert.False(manager.TryGetProperty("email", out _), $"{role} must not see the e-mail: {manager}");
                Assert.False(manager.TryGetProperty("phone", out _), $"{role} must not see the phone: {manager}");
            }
        }
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite, "admin")]
    [InlineData(DatabaseEngine.Postgres, "network-manager")]
    public async Task an_admin_or_the_networks_manager_sees_everything(DatabaseEngine engine, string role)
    {
        await using var host = await servers.StartAsync(engine);
        await ItAchseWithManagerAsync(host);

        var list = await host.ReadAsync(Managers, role, "it-achse");

        Assert.Equal(1, list.GetProperty("total").GetInt32());
        var manager = list.GetProperty("items")[0];
        Assert.Equal("anna@it-achse.example", manager.GetProperty("email").GetString());
        Assert.Equal("+49 591 123456", manager.GetProperty("phone").GetString());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task the_networks_manager_adds_and_removes_a_manager(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await ItAchseWithManagerAsync(host);
        var manager = host.ClientAs("network-manager", "it-achse");

        var added = await manager.PostAsJsonAsync(Path(Managers), new { name = "Bernd Muster", email = "bernd@it-achse.example" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var id = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(2, (await host.ReadAsync(Managers, "integrator")).GetProperty("total").GetInt32());

        var removed = await manager.DeleteAsync(Path($"{Managers}/{id}"));

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        var left = await host.ReadAsync(Managers, "integrator");
        Assert.Equal(1, left.GetProperty("total").GetInt32());
        Assert.Equal("Anna Beispiel", left.GetProperty("items")[0].GetProperty("name").GetString());
        await AssertProblemAsync(await host.ClientAs("integrator").GetAsync(Path($"{Managers}/{id}")), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite, "{\"email\":\"x@example.de\"}", "name")]
    [InlineData(DatabaseEngine.Postgres, "{\"name\":\"X\",\"email\":\"not-an-address\"}", "email")]
    [InlineData(DatabaseEngine.Sqlite, "{\"name\":\"X\",\"email\":\"x@example.de\",\"phone\":\"call me\"}", "phone")]
    [InlineData(DatabaseEngine.Postgres, "{\"name\":\"X\",\"email\":\"x@example.de\",\"siteId\":\"6f1c2a10-0000-4000-8000-000000000099\"}", "siteId")]
    public async Task an_invalid_manager_is_a_400_with_field_errors_and_changes_nothing(DatabaseEngine engine, string body, string field)
    {
        await using var host = await servers.StartAsync(engine);
        await ItAchseWithManagerAsync(host);
        var before = await host.SnapshotAsync(Managers);

        var response = await host.ClientAs("admin").PostAsync(Path(Managers), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await AssertFieldErrorAsync(response, field);
        Assert.Equal(before, await host.SnapshotAsync(Managers));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task refused_manager_writes_change_nothing(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        var (_, managerId) = await ItAchseWithManagerAsync(host);
        var before = await host.SnapshotAsync(Managers);
        var someone = new { name = "Carla Fremd", email = "carla@mema.example" };

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.CreateClient().PostAsJsonAsync(Path(Managers), someone)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.CreateClient().DeleteAsync(Path($"{Managers}/{managerId}"))).StatusCode);
        await AssertProblemAsync(await host.ClientAs("network-manager", "mema").PostAsJsonAsync(Path(Managers), someone), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await host.ClientAs("network-manager", "mema").DeleteAsync(Path($"{Managers}/{managerId}")), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await host.ClientAs("admin").PostAsJsonAsync(Path(Managers), new { name = "Anna Zwei", email = "ANNA@it-achse.example" }), HttpStatusCode.Conflict);
        await AssertProblemAsync(await host.ClientAs("admin").DeleteAsync(Path($"{Managers}/{Guid.NewGuid()}")), HttpStatusCode.NotFound);
        await AssertProblemAsync(await host.ClientAs("admin").PostAsJsonAsync(Path("/api/networks/nope/managers"), someone), HttpStatusCode.NotFound);
        await AssertProblemAsync(await host.ClientAs("integrator").GetAsync(Path("/api/networks/nope/managers")), HttpStatusCode.NotFound);
        Assert.Equal(before, await host.SnapshotAsync(Managers));
    }
}
