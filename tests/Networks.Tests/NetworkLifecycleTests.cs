using System.Net;
using System.Net.Http.Json;
using System.Text;
using EmsAchse.Networks.Networks;
using EmsAchse.Platform.Persistence;
using Xunit;
using static EmsAchse.Networks.Tests.TestApi;

namespace EmsAchse.Networks.Tests;

/// <summary>PUT /api/networks/{slug} and POST /api/networks/{slug}/dissolve.</summary>
[Collection(NetworksCollection.Name)]
public sealed class NetworkLifecycleTests(NetworksServers servers)
{
    private static object Change(string name = "IT-Achse Ems") => new { name, description = "Das IT-Netzwerk", topics = new[] { "it", "ki", "IT" }, founded = "2012-01-01" };

    [Theory]
    [InlineData(DatabaseEngine.Sqlite, "admin")]
    [InlineData(DatabaseEngine.Postgres, "admin")]
    [InlineData(DatabaseEngine.Sqlite, "network-manager")]
    [InlineData(DatabaseEngine.Postgres, "network-manager")]
    public async Task an_admin_or_the_networks_manager_changes_it_and_network_changed_carries_the_next_version(DatabaseEngine engine, string role)
    {
        await using var host = await servers.StartAsync(engine);
        await host.RegisterAsync("it-achse", "IT-Achse");

        var response = await host.ClientAs(role, "it-achse").PutAsJsonAsync(Path("/api/networks/it-achse"), Change());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var network = await host.ReadAsync("/api/networks/it-achse");
        Assert.Equal("IT-Achse Ems", network.GetProperty("name").GetString());
        Assert.Equal(["it", "ki"], network.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(2, network.GetProperty("version").GetInt64());
        var events = await Outbox.EventsAsync(host, NetworkAggregate.Id("it-achse"));
        Assert.Equal(["NetworkRegistered", "NetworkChanged"], events.Select(e => e.Type));
        Assert.Equal(2, events[1].Body.GetProperty("version").GetInt64());
        Assert.Equal("IT-Achse Ems", events[1].Body.GetProperty("name").GetString());
        Assert.Equal("active", events[1].Body.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_manager_of_it_achse_changing_mema_is_a_403_and_mema_stays(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await host.RegisterAsync("mema", "MEMA");
        var before = await host.SnapshotAsync("/api/networks/mema");

        var response = await host.ClientAs("network-manager", "it-achse").PutAsJsonAsync(Path("/api/networks/mema"), Change("Übernommen"));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal(before, await host.SnapshotAsync("/api/networks/mema"));
        Assert.Single(await Outbox.EventsAsync(host, NetworkAggregate.Id("mema")));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite, "{\"description\":\"no name\"}", "name")]
    [InlineData(DatabaseEngine.Postgres, "{\"name\":\"  \"}", "name")]
    [InlineData(DatabaseEngine.Sqlite, "{\"name\":\"x\",\"founded\":\"2999-01-01\"}", "founded")]
    [InlineData(DatabaseEngine.Postgres, "{\"name\":\"x\",\"topics\":[\"\"]}", "topics")]
    public async Task an_invalid_change_is_a_400_with_field_errors_and_changes_nothing(DatabaseEngine engine, string body, string field)
    {
        await using var host = await servers.StartAsync(engine);
        await host.RegisterAsync("it-achse", "IT-Achse");
        var before = await host.SnapshotAsync("/api/networks/it-achse");

        var response = await host.ClientAs("admin").PutAsync(Path("/api/networks/it-achse"), new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertFieldErrorAsync(response, field);
        Assert.Equal(before, await host.SnapshotAsync("/api/networks/it-achse"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task writes_without_a_token_are_401_and_change_nothing(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await host.RegisterAsync("it-achse", "IT-Achse");
        var before = await host.SnapshotAsync("/api/networks/it-achse");
        var anonymous = host.CreateClient();

        var change = await anonymous.PutAsJsonAsync(Path("/api/networks/it-achse"), Change());
        var dissolve = await anonymous.PostAsync(Path("/api/networks/it-achse/dissolve"), null);

        Assert.Equal(HttpStatusCode.Unauthorized, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, dissolve.StatusCode);
        Assert.Equal(before, await host.SnapshotAsync("/api/networks/it-achse"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task an_unknown_slug_is_a_404_for_change_and_dissolve(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        var admin = host.ClientAs("admin");

        await AssertProblemAsync(await admin.PutAsJsonAsync(Path("/api/networks/nope"), Change()), HttpStatusCode.NotFound);
        await AssertProblemAsync(await admin.PostAsync(Path("/api/networks/nope/dissolve"), null), HttpStatusCode.NotFound);
        Assert.Equal("404", (await host.SnapshotAsync("/api/networks/nope"))[..3]);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_dissolved_network_stays_readable_closes_its_sites_takes_no_new_ones_and_its_slug_is_never_reused(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await host.RegisterAsync("tourismus", "Tourismus", founded: "2017-01-01");
        var siteId = await host.OpenSiteAsync("tourismus", "Wittmund", "Wittmund", "wittmund", "2017-01-01");
        var admin = host.ClientAs("admin");

        var dissolved = await admin.PostAsJsonAsync(Path("/api/networks/tourismus/dissolve"), new { dissolvedOn = "2024-12-31" });

        Assert.Equal(HttpStatusCode.OK, dissolved.StatusCode);
        var network = await host.ReadAsync("/api/networks/tourismus");
        Assert.Equal("dissolved", network.GetProperty("status").GetString());
        Assert.Equal("2024-12-31", network.GetProperty("dissolvedOn").GetString());
        Assert.Equal("Tourismus", network.GetProperty("name").GetString());
        var site = network.GetProperty("sites")[0];
        Assert.Equal("closed", site.GetProperty("status").GetString());
        Assert.Equal("2024-12-31", site.GetProperty("closed").GetString());
        Assert.Equal("2017-01-01", site.GetProperty("opened").GetString());

        var events = await Outbox.EventsAsync(host, NetworkAggregate.Id("tourismus"));
        Assert.Equal("NetworkDissolved", events[^1].Type);
        Assert.Equal(2, events[^1].Body.GetProperty("version").GetInt64());
        Assert.Equal("2024-12-31", events[^1].Body.GetProperty("dissolvedOn").GetString());
        var siteEvents = await Outbox.EventsAsync(host, NetworkAggregate.SiteId(siteId));
        Assert.Equal(["SiteOpened", "SiteClosed"], siteEvents.Select(e => e.Type));

        var before = await host.SnapshotAsync("/api/networks/tourismus");
        var newSite = await admin.PostAsJsonAsync(Path("/api/networks/tourismus/sites"), new { name = "Esens", town = "Esens", district = "wittmund" });
        var again = await admin.PostAsync(Path("/api/networks/tourismus/dissolve"), null);
        var change = await admin.PutAsJsonAsync(Path("/api/networks/tourismus"), Change("Tourismus neu"));
        var reused = await admin.PostAsJsonAsync(Path("/api/networks"), new { slug = "tourismus", name = "Tourismus 2" });

        await AssertProblemAsync(newSite, HttpStatusCode.Conflict);
        await AssertProblemAsync(again, HttpStatusCode.Conflict);
        await AssertProblemAsync(change, HttpStatusCode.Conflict);
        await AssertProblemAsync(reused, HttpStatusCode.Conflict);
        Assert.Equal(before, await host.SnapshotAsync("/api/networks/tourismus"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task dissolving_is_for_admins_only_and_a_refusal_changes_nothing(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await host.RegisterAsync("it-achse", "IT-Achse", founded: "2012-01-01");
        var before = await host.SnapshotAsync("/api/networks/it-achse");

        var manager = await host.ClientAs("network-manager", "it-achse").PostAsync(Path("/api/networks/it-achse/dissolve"), null);
        var beforeFounding = await host.ClientAs("admin").PostAsJsonAsync(Path("/api/networks/it-achse/dissolve"), new { dissolvedOn = "2011-12-31" });
        var future = await host.ClientAs("admin").PostAsJsonAsync(Path("/api/networks/it-achse/dissolve"), new { dissolvedOn = "2999-01-01" });

        Assert.Equal(HttpStatusCode.Forbidden, manager.StatusCode);
        await AssertFieldErrorAsync(beforeFounding, "dissolvedOn");
        await AssertFieldErrorAsync(future, "dissolvedOn");
        Assert.Equal(before, await host.SnapshotAsync("/api/networks/it-achse"));
        Assert.Single(await Outbox.EventsAsync(host, NetworkAggregate.Id("it-achse")));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task concurrent_registrations_of_one_slug_give_one_network_and_409s(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        var admin = host.ClientAs("admin");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => admin.PostAsJsonAsync(Path("/api/networks"), new { slug = "mariko", name = $"MARIKO {i}" })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Single(await Outbox.EventsAsync(host, NetworkAggregate.Id("mariko")));
    }
}
