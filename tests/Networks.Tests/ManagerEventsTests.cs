using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Contracts.Networks;
using EmsAchse.Networks.Managers;
using EmsAchse.Platform.Persistence;
using EmsAchse.TestSupport;
using Xunit;
using static EmsAchse.Networks.Tests.TestApi;

namespace EmsAchse.Networks.Tests;

/// <summary>Appointing and removing a manager announce it through the outbox; a re-sync re-announces every manager.</summary>
[Collection(NetworksCollection.Name)]
public sealed class ManagerEventsTests(NetworksServers servers)
{
    private const string Managers = "/api/networks/it-achse/managers";

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task appointing_and_removing_publish_versioned_events_through_the_outbox_and_a_removed_manager_is_gone_from_the_api(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await host.RegisterAsync("it-achse", "IT-Achse");
        var admin = host.ClientAs("admin");

        var id = await AppointAsync(admin, "Carla Probe", "carla@it-achse.example");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(Path($"{Managers}/{id}"))).StatusCode);

        var events = await Outbox.EventsAsync(host, ManagerAggregate.Id(id));
        Assert.Equal([nameof(ManagerAppointed), nameof(ManagerRemoved)], events.Select(e => e.Type));
        Assert.Equal([1L, 2L], events.Select(e => e.Body.GetProperty("version").GetInt64()));
        Assert.All(events, e =>
        {
            Assert.Equal("carla@it-achse.example", e.Body.GetProperty("email").GetString());
            Assert.Equal("Carla Probe", e.Body.GetProperty("name").GetString());
            Assert.Equal("it-achse", e.Body.GetProperty("networkSlug").GetString());
            Assert.Equal(id, e.Body.GetProperty("managerId").GetGuid());
        });
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(Path($"{Managers}/{id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync(Path($"{Managers}/{id}"))).StatusCode);
        Assert.Equal(0, (await host.ReadAsync(Managers, "admin")).GetProperty("total").GetInt32());
        Assert.Single(await Outbox.EventsAsync(host, ManagerAggregate.Id(id)), e => e.Type == nameof(ManagerRemoved));

        // The removed person may be appointed again: a new manager with its own events.
        var again = await AppointAsync(admin, "Carla Probe", "carla@it-achse.example");
        Assert.NotEqual(id, again);
    }

    [Fact]
    public async Task a_resync_request_re_announces_current_managers_as_appointed_and_removed_ones_as_removed_at_their_versions()
    {
        await using var host = await servers.StartAsync(DatabaseEngine.Sqlite);
        await host.RegisterAsync("it-achse", "IT-Achse");
        var admin = host.ClientAs("admin");
        var kept = await AppointAsync(admin, "Dora Beispiel", "dora@it-achse.example");
        var removed = await AppointAsync(admin, "Emil Beispiel", "emil@it-achse.example");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(Path($"{Managers}/{removed}"))).StatusCode);

        var db = (ServiceDatabase)host.Services.GetService(typeof(ServiceDatabase))!;
        await db.WriteAsync(tx => tx.PublishAsync("resync/test", new ManagerResyncRequested("test", tx.Now)));

        await Eventually.SucceedsAsync(async () =>
        {
            var keptEvents = await Outbox.EventsAsync(host, ManagerAggregate.Id(kept));
            Assert.Equal([(nameof(ManagerAppointed), 1L), (nameof(ManagerAppointed), 1L)], keptEvents.Select(e => (e.Type, e.Body.GetProperty("version").GetInt64())));
            var removedEvents = await Outbox.EventsAsync(host, ManagerAggregate.Id(removed));
            Assert.Equal(
                [(nameof(ManagerAppointed), 1L), (nameof(ManagerRemoved), 2L), (nameof(ManagerRemoved), 2L)],
                removedEvents.Select(e => (e.Type, e.Body.GetProperty("version").GetInt64())));
        });
    }

    private static async Task<Guid> AppointAsync(HttpClient client, string name, string email)
    {
        var added = await client.PostAsJsonAsync(Path(Managers), new { name, email });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        return (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
