using System.Net;
using System.Net.Http.Json;
using System.Text;
using EmsAchse.Networks.Networks;
using EmsAchse.Platform.Persistence;
using Xunit;
using static EmsAchse.Networks.Tests.TestApi;

namespace EmsAchse.Networks.Tests;

/// <summary>GET/PUT /api/networks/{slug}/sites/{id}, POST .../close and the paged site list.</summary>
[Collection(NetworksCollection.Name)]
public sealed class SitesApiTests(NetworksServers servers)
{
    private static object Change(string name = "Lingen", string town = "Lingen (Ems)", string district = "emsland") =>
        new { name, town, district, address = "Kaiserstraße 10a, 49809 Lingen (Ems)", opened = "2012-01-01" };

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_site_is_read_alone_and_in_the_paged_list(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await host.RegisterAsync("it-achse", "IT-Achse");
        var lingen = await host.OpenSiteAsync("it-achse", "Lingen");
        await host.OpenSiteAsync("it-achse", "Leer", "Leer (Ostfriesland)", "leer", "2014-01-01");

        var site = await host.ReadAsync($"/api/networks/it-achse/sites/{lingen}");
        var page = await host.ReadAsync("/api/networks/it-achse/sites?page=2&pageSize=1");

        Assert.Equal(lingen, site.GetProperty("id").GetGuid());
        Assert.Equal("it-achse", site.GetProperty("networkSlug").GetString());
        Assert.Equal("Lingen (Ems)", site.GetProperty("town").GetString());
        Assert.Equal("emsland", site.GetProperty("district").GetString());
        Assert.Equal("open", site.GetProperty("status").GetString());
        Assert.Equal(0, site.GetProperty("fundingCoverageBasisPoints").GetInt32());
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        // Ordered by opening: Leer (2014) before Lingen (2020).
        Assert.Equal("Lingen", page.GetProperty("items")[0].GetProperty("name").GetString());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task an_unknown_site_or_network_is_a_404(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await host.RegisterAsync("it-achse", "IT-Achse");
        await host.RegisterAsync("mema", "MEMA");
        var meppen = await host.OpenSiteAsync("mema", "Meppen", "Meppen");
        var admin = host.ClientAs("admin");

        await AssertProblemAsync(await host.CreateClient().GetAsync(Path($"/api/networks/it-achse/sites/{Guid.NewGuid()}")), HttpStatusCode.NotFound);
        await AssertProblemAsync(await host.CreateClient().GetAsync(Path($"/api/networks/it-achse/sites/{meppen}")), HttpStatusCode.NotFound);
        await AssertProblemAsync(await host.CreateClient().GetAsync(Path("/api/networks/nope/sites")), HttpStatusCode.NotFound);
        await AssertProblemAsync(await admin.PutAsJsonAsync(Path($"/api/networks/it-achse/sites/{meppen}"), Change()), HttpStatusCode.NotFound);
        await AssertProblemAsync(await admin.PostAsync(Path($"/api/networks/nope/sites/{meppen}/close"), null), HttpStatusCode.NotFound);
        Assert.Equal("Meppen", (await host.ReadAsync($"/api/networks/mema/sites/{meppen}")).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task the_networks_manager_changes_a_site_and_site_changed_carries_the_full_state_and_next_version(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await host.RegisterAsync("it-achse", "IT-Achse");
        var siteId = await host.OpenSiteAsync("it-achse", "Lingen", "Lingen", "emsland");

        var response = await host.ClientAs("network-manager", "it-achse").PutAsJsonAsync(Path($"/api/networks/it-achse/sites/{siteId}"), Change("Lingen (IT-Zentrum)"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var site = await host.ReadAsync($"/api/networks/it-achse/sites/{siteId}");
        Assert.Equal("Lingen (IT-Zentrum)", site.GetProperty("name").GetString());
        Assert.Equal("Lingen (Ems)", site.GetProperty("town").GetString());
        Assert.Equal("2012-01-01", site.GetProperty("opened").GetString());
        var events = await Outbox.EventsAsync(host, NetworkAggregate.SiteId(siteId));
        Assert.Equal(["SiteOpened", "SiteChanged"], events.Select(e => e.Type));
        var changed = events[1].Body;
        Assert.Equal(2, changed.GetProperty("version").GetInt64());
        Assert.Equal("it-achse", changed.GetProperty("networkSlug").GetString());
        Assert.Equal("Kaiserstraße 10a, 49809 Lingen (Ems)", changed.GetProperty("address").GetString());
        Assert.Equal("open", changed.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite, "district", "berlin", "district")]
    [InlineData(DatabaseEngine.Postgres, "district", "berlin", "district")]
    [InlineData(DatabaseEngine.Sqlite, "name", "", "name")]
    [InlineData(DatabaseEngine.Postgres, "town", "12345", "town")]
    [InlineData(DatabaseEngine.Sqlite, "town", "<script>", "town")]
    public async Task an_invalid_site_change_is_a_400_with_field_errors_and_changes_nothing(DatabaseEngine engine, string property, string value, string field)
    {
        await using var host = await servers.StartAsync(engine);
        await host.RegisterAsync("it-achse", "IT-Achse");
        var siteId = await host.OpenSiteAsync("it-achse", "Lingen");
        var before = await host.SnapshotAsync($"/api/networks/it-achse/sites/{siteId}");
        var body = new Dictionary<string, string> { ["name"] = "Lingen", ["town"] = "Lingen (Ems)", ["district"] = "emsland" };
        body[property] = value;

        var change = await host.ClientAs("admin").PutAsJsonAsync(Path($"/api/networks/it-achse/sites/{siteId}"), body);
        var open = await host.ClientAs("admin").PostAsJsonAsync(Path("/api/networks/it-achse/sites"), body);

        await AssertFieldErrorAsync(change, field);
        await AssertFieldErrorAsync(open, field);
        Assert.Equal(before, await host.SnapshotAsync($"/api/networks/it-achse/sites/{siteId}"));
        Assert.Equal(1, (await host.ReadAsync("/api/networks/it-achse/sites")).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task renaming_a_site_to_the_name_of_another_open_site_is_a_409(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await host.RegisterAsync("it-achse", "IT-Achse");
        await host.OpenSiteAsync("it-achse", "Lingen");
        var leer = await host.OpenSiteAsync("it-achse", "Leer", "Leer (Ostfriesland)", "leer");
        var before = await host.SnapshotAsync($"/api/networks/it-achse/sites/{leer}");

        var response = await host.ClientAs("admin").PutAsJsonAsync(Path($"/api/networks/it-achse/sites/{leer}"), new { name = "LINGEN", town = "Leer", district = "leer" });

        await AssertProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal(before, await host.SnapshotAsync($"/api/networks/it-achse/sites/{leer}"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_site_closes_on_its_date_keeps_its_history_and_closing_it_again_is_a_409(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await host.RegisterAsync("it-achse", "IT-Achse");
        var siteId = await host.OpenSiteAsync("it-achse", "Leer", "Leer (Ostfriesland)", "leer", "2014-01-01");
        var manager = host.ClientAs("network-manager", "it-achse");

        var closed = await manager.PostAsJsonAsync(Path($"/api/networks/it-achse/sites/{siteId}/close"), new { closed = "2024-06-30" });

        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var site = await host.ReadAsync($"/api/networks/it-achse/sites/{siteId}");
        Assert.Equal("closed", site.GetProperty("status").GetString());
        Assert.Equal("2024-06-30", site.GetProperty("closed").GetString());
        Assert.Equal("2014-01-01", site.GetProperty("opened").GetString());
        Assert.Equal("Leer", site.GetProperty("name").GetString());
        var events = await Outbox.EventsAsync(host, NetworkAggregate.SiteId(siteId));
        Assert.Equal("SiteClosed", events[^1].Type);
        Assert.Equal(2, events[^1].Body.GetProperty("version").GetInt64());
        Assert.Equal("closed", events[^1].Body.GetProperty("status").GetString());
        Assert.Equal("Leer (Ostfriesland)", events[^1].Body.GetProperty("town").GetString());

        var before = await host.SnapshotAsync($"/api/networks/it-achse/sites/{siteId}");
        var again = await manager.PostAsJsonAsync(Path($"/api/networks/it-achse/sites/{siteId}/close"), new { closed = "2024-07-31" });
        var change = await manager.PutAsJsonAsync(Path($"/api/networks/it-achse/sites/{siteId}"), new { name = "Leer", town = "Leer", district = "leer" });

        await AssertProblemAsync(again, HttpStatusCode.Conflict);
        await AssertProblemAsync(change, HttpStatusCode.Conflict);
        Assert.Equal(before, await host.SnapshotAsync($"/api/networks/it-achse/sites/{siteId}"));
        Assert.Equal(2, (await Outbox.EventsAsync(host, NetworkAggregate.SiteId(siteId))).Count);

        // The name is free again once the site is closed.
        await host.OpenSiteAsync("it-achse", "Leer", "Leer (Ostfriesland)", "leer", "2025-01-01");
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_closing_date_before_the_opening_or_in_the_future_is_a_400_and_the_site_stays_open(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await host.RegisterAsync("it-achse", "IT-Achse");
        var siteId = await host.OpenSiteAsync("it-achse", "Leer", "Leer", "leer", "2014-01-01");
        var before = await host.SnapshotAsync($"/api/networks/it-achse/sites/{siteId}");
        var admin = host.ClientAs("admin");

        await AssertFieldErrorAsync(await admin.PostAsJsonAsync(Path($"/api/networks/it-achse/sites/{siteId}/close"), new { closed = "2013-12-31" }), "closed");
        await AssertFieldErrorAsync(await admin.PostAsJsonAsync(Path($"/api/networks/it-achse/sites/{siteId}/close"), new { closed = "2999-01-01" }), "closed");
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync(Path($"/api/networks/it-achse/sites/{siteId}/close"), new StringContent("{\"closed\":\"soon\"}", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(before, await host.SnapshotAsync($"/api/networks/it-achse/sites/{siteId}"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task site_writes_need_a_token_and_the_right_network(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await host.RegisterAsync("mema", "MEMA");
        var siteId = await host.OpenSiteAsync("mema", "Meppen", "Meppen");
        var before = await host.SnapshotAsync($"/api/networks/mema/sites/{siteId}");
        var foreign = host.ClientAs("network-manager", "it-achse");
        var integrator = host.ClientAs("integrator");
        var anonymous = host.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsJsonAsync(Path($"/api/networks/mema/sites/{siteId}"), Change())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(Path($"/api/networks/mema/sites/{siteId}/close"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync(Path("/api/networks/mema/sites"), Change())).StatusCode);
        await AssertProblemAsync(await foreign.PutAsJsonAsync(Path($"/api/networks/mema/sites/{siteId}"), Change()), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await foreign.PostAsync(Path($"/api/networks/mema/sites/{siteId}/close"), null), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await integrator.PostAsync(Path($"/api/networks/mema/sites/{siteId}/close"), null), HttpStatusCode.Forbidden);
        Assert.Equal(before, await host.SnapshotAsync($"/api/networks/mema/sites/{siteId}"));
        Assert.Equal(1, (await host.ReadAsync("/api/networks/mema/sites")).GetProperty("total").GetInt32());
    }
}
