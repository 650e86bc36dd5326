using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Platform.Persistence;
using Xunit;
using static EmsAchse.Networks.Tests.TestApi;

namespace EmsAchse.Networks.Tests;

/// <summary>A manager of IT-Achse tries MEMA's sites and managers: through MEMA's paths, and through IT-Achse's paths with MEMA's ids.</summary>
[Collection(NetworksCollection.Name)]
public sealed class CrossNetworkTests(NetworksServers servers)
{
    private sealed record Attempt(string Name, HttpMethod Method, string Path, object? Body, HttpStatusCode Expected);

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_manager_of_one_network_changes_nothing_of_another_with_its_paths_or_ids(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await host.RegisterAsync("it-achse", "IT-Achse");
        await host.RegisterAsync("mema", "MEMA");
        var meppen = await host.OpenSiteAsync("mema", "Meppen", "Meppen");
        var added = await host.ClientAs("admin").PostAsJsonAsync(Path("/api/networks/mema/managers"), new { name = "Marta Muster", email = "marta@mema.example", phone = "+49 5931 1234", siteId = meppen });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var memaManager = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var site = new { name = "Übernommen", town = "Meppen", district = "emsland", opened = "2020-01-01" };
        var someone = new { name = "Eve Eindringling", email = "eve@it-achse.example" };
        Attempt[] attempts =
        [
            new("open a site in B", HttpMethod.Post, "/api/networks/mema/sites", site, HttpStatusCode.Forbidden),
            new("change B's site", HttpMethod.Put, $"/api/networks/mema/sites/{meppen}", site, HttpStatusCode.Forbidden),
            new("close B's site", HttpMethod.Post, $"/api/networks/mema/sites/{meppen}/close", new { }, HttpStatusCode.Forbidden),
            new("change B's site under A's path", HttpMethod.Put, $"/api/networks/it-achse/sites/{meppen}", site, HttpStatusCode.NotFound),
            new("close B's site under A's path", HttpMethod.Post, $"/api/networks/it-achse/sites/{meppen}/close", new { }, HttpStatusCode.NotFound),
            new("change network B", HttpMethod.Put, "/api/networks/mema", new { name = "MEMA", description = "taken over", topics = new[] { "it" } }, HttpStatusCode.Forbidden),
            new("appoint a manager of B", HttpMethod.Post, "/api/networks/mema/managers", someone, HttpStatusCode.Forbidden),
            new("remove B's manager", HttpMethod.Delete, $"/api/networks/mema/managers/{memaManager}", null, HttpStatusCode.Forbidden),
            new("remove B's manager under A's path", HttpMethod.Delete, $"/api/networks/it-achse/managers/{memaManager}", null, HttpStatusCode.NotFound),
            new("appoint a manager of A on B's site", HttpMethod.Post, "/api/networks/it-achse/managers", new { someone.name, someone.email, siteId = meppen }, HttpStatusCode.BadRequest),
        ];
        string[] watched = ["/api/networks/mema", $"/api/networks/mema/sites/{meppen}", "/api/networks/mema/managers", "/api/networks/it-achse", "/api/networks/it-achse/managers"];
        var before = await Task.WhenAll(watched.Select(host.SnapshotAsync));
        var eventsBefore = (await Outbox.EventsAsync(host, $"site/{meppen}")).Count;
        var manager = host.ClientAs("network-manager", "it-achse");

        var answers = new List<(Attempt Attempt, HttpStatusCode Status, string? MediaType)>();
        foreach (var attempt in attempts)
        {
            using var request = new HttpRequestMessage(attempt.Method, Path(attempt.Path));
            if (attempt.Body is not null)
            {
                request.Content = JsonContent.Create(attempt.Body);
            }
            var response = await manager.SendAsync(request);
            answers.Add((attempt, response.StatusCode, response.Content.Headers.ContentType?.MediaType));
        }

        Assert.All(answers, a =>
        {
            Assert.True(a.Status == a.Attempt.Expected, $"{a.Attempt.Name} ({a.Attempt.Method} {a.Attempt.Path}) answered {(int)a.Status}, expected {(int)a.Attempt.Expected}");
            Assert.Equal("application/problem+json", a.MediaType);
        });
        Assert.Equal(before, await Task.WhenAll(watched.Select(host.SnapshotAsync)));
        Assert.Equal(eventsBefore, (await Outbox.EventsAsync(host, $"site/{meppen}")).Count);
        // Reading B's managers, A's manager gets the public view at most: never B's manager's e-mail or phone.
        foreach (var path in new[] { "/api/networks/mema/managers", $"/api/networks/mema/managers/{memaManager}" })
        {
            var read = await manager.GetAsync(Path(path));
            var body = await read.Content.ReadAsStringAsync();
            Assert.DoesNotContain("marta@mema.example", body, StringComparison.Ordinal);
            Assert.DoesNotContain("5931", body, StringComparison.Ordinal);
        }
    }
}
