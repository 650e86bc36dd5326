using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Platform.Persistence;
using Xunit;
using static EmsAchse.Networks.Tests.TestApi;

namespace EmsAchse.Networks.Tests;

/// <summary>"Who changed what": every write leaves one change record with its caller, a refused one none.</summary>
[Collection(NetworksCollection.Name)]
public sealed class ChangeRecordsTests(NetworksServers servers)
{
    private const string Changes = "/api/networks/admin/changes";

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task closing_a_site_leaves_exactly_one_record_naming_the_manager_who_closed_it(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await host.RegisterAsync("it-achse", "IT-Achse");
        var lingen = await host.OpenSiteAsync("it-achse", "Lingen");
        var before = await host.ReadAsync(Changes, "admin");

        var closed = await host.ClientAs("network-manager", "it-achse").PostAsJsonAsync(Path($"/api/networks/it-achse/sites/{lingen}/close"), new { closed = "2026-06-30" });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);

        var after = await host.ReadAsync(Changes, "admin");
        Assert.Equal(before.GetProperty("total").GetInt64() + 1, after.GetProperty("total").GetInt64());
        var newest = after.GetProperty("items")[0];
        Assert.Equal("site.closed", newest.GetProperty("action").GetString());
        Assert.Equal("test-network-manager", newest.GetProperty("actorId").GetString());
        Assert.Equal("Test network-manager", newest.GetProperty("actorName").GetString());
        Assert.Equal("site", newest.GetProperty("aggregateType").GetString());
        Assert.Equal(lingen.ToString(), newest.GetProperty("aggregateId").GetString());
        Assert.Equal("it-achse", newest.GetProperty("network").GetString());
        Assert.True(DateTimeOffset.UtcNow - newest.GetProperty("at").GetDateTimeOffset() < TimeSpan.FromMinutes(5));
        // The earlier writes are there too, older ones after: the site's opening, the network's registration by the admin.
        var actions = after.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()).ToList();
        Assert.Equal(["site.closed", "site.opened", "network.registered"], actions);
        Assert.All(after.GetProperty("items").EnumerateArray().Skip(1), i => Assert.Equal("test-admin", i.GetProperty("actorId").GetString()));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_refused_write_leaves_no_record_and_a_write_without_an_event_leaves_one(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await host.RegisterAsync("it-achse", "IT-Achse");
        var lingen = await host.OpenSiteAsync("it-achse", "Lingen");
        var before = await host.SnapshotAsync(Changes);

        Assert.Equal(HttpStatusCode.Forbidden, (await host.ClientAs("network-manager", "mema").PostAsync(Path($"/api/networks/it-achse/sites/{lingen}/close"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.ClientAs("admin").PutAsJsonAsync(Path($"/api/networks/it-achse/sites/{lingen}"), new { name = "", town = "", district = "nowhere" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await host.ClientAs("admin").PostAsJsonAsync(Path("/api/networks"), new { slug = "it-achse", name = "Again", description = "d", topics = new[] { "it" } })).StatusCode);
        Assert.Equal(before, await host.SnapshotAsync(Changes));

        // The umbrella publishes no event; its change is recorded all the same.
        var changed = new
        {
            name = "Wachstumsregion Ems-Achse e.V.",
            shortName = "Ems-Achse",
            legalForm = "e.V.",
            founded = 2006,
            mission = "Die Region stärken.",
            office = new { street = "Hauptkanal links 60", postalCode = "26871", town = "Papenburg" },
            districts = new[] { "emsland", "leer" },
        };
        Assert.Equal(HttpStatusCode.OK, (await host.ClientAs("admin").PutAsJsonAsync(Path("/api/networks/umbrella"), changed)).StatusCode);
        var records = await host.ReadAsync($"{Changes}?aggregateType=umbrella", "admin");
        var record = Assert.Single(records.GetProperty("items").EnumerateArray());
        Assert.Equal("umbrella.changed", record.GetProperty("action").GetString());
        Assert.Equal("test-admin", record.GetProperty("actorId").GetString());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("network").ValueKind);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task records_are_filtered_by_actor_and_aggregate_and_paged(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await host.RegisterAsync("it-achse", "IT-Achse");
        var lingen = await host.OpenSiteAsync("it-achse", "Lingen");
        await host.OpenSiteAsync("it-achse", "Leer", "Leer (Ostfriesland)", "leer");
        Assert.Equal(HttpStatusCode.OK, (await host.ClientAs("network-manager", "it-achse").PostAsync(Path($"/api/networks/it-achse/sites/{lingen}/close"), null)).StatusCode);

        var ofLingen = await host.ReadAsync($"{Changes}?aggregateType=site&aggregateId={lingen}", "admin");
        Assert.Equal(["site.closed", "site.opened"], ofLingen.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()));
        var ofManager = await host.ReadAsync($"{Changes}?actor=test-network-manager", "admin");
        Assert.Equal(1, ofManager.GetProperty("total").GetInt64());
        var second = await host.ReadAsync($"{Changes}?page=2&pageSize=1", "admin");
        Assert.Equal(4, second.GetProperty("total").GetInt64());
        Assert.Equal(2, second.GetProperty("page").GetInt32());
        Assert.Equal(1, second.GetProperty("pageSize").GetInt32());
        Assert.Equal("site.opened", Assert.Single(second.GetProperty("items").EnumerateArray()).GetProperty("action").GetString());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task only_admins_read_the_records_and_bad_paging_is_a_400(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.CreateClient().GetAsync(Path(Changes))).StatusCode);
        await AssertProblemAsync(await host.ClientAs("network-manager", "it-achse").GetAsync(Path(Changes)), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await host.ClientAs("integrator").GetAsync(Path(Changes)), HttpStatusCode.Forbidden);
        await AssertFieldErrorAsync(await host.ClientAs("admin").GetAsync(Path($"{Changes}?page=0")), "page");
        await AssertFieldErrorAsync(await host.ClientAs("admin").GetAsync(Path($"{Changes}?pageSize=201")), "pageSize");
        await AssertFieldErrorAsync(await host.ClientAs("admin").GetAsync(Path($"{Changes}?page=2147483647&pageSize=200")), "page");
    }
}
