using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Platform.Persistence;
using Xunit;

namespace EmsAchse.Networks.Tests;

/// <summary>What every service gets from the shared hosting defaults, seen through a real service.</summary>
[Collection(NetworksCollection.Name)]
public sealed class HostingDefaultsTests(NetworksServers servers)
{
    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task ready_reports_the_database_and_the_broker(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        JsonElement report = default;
        await EmsAchse.TestSupport.Eventually.SucceedsAsync(async () =>
        {
            var response = await host.CreateClient().GetAsync(new Uri("/health/ready", UriKind.Relative));
            report = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });

        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        var checks = report.GetProperty("checks").EnumerateObject().Select(c => c.Name).ToList();
        Assert.Contains("database", checks);
        Assert.Contains(checks, c => c.StartsWith("masstransit", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await host.CreateClient().GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task the_callers_correlation_id_is_echoed_and_one_is_made_when_missing()
    {
        await using var host = await servers.StartAsync(DatabaseEngine.Sqlite);
        var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/networks");
        request.Headers.Add("X-Correlation-Id", "portal-4711");

        var echoed = await client.SendAsync(request);
        var made = await client.GetAsync(new Uri("/api/networks", UriKind.Relative));

        Assert.Equal("portal-4711", echoed.Headers.GetValues("X-Correlation-Id").Single());
        Assert.False(string.IsNullOrWhiteSpace(made.Headers.GetValues("X-Correlation-Id").Single()));
    }

    [Fact]
    public async Task errors_are_problem_details_carrying_the_correlation_id()
    {
        await using var host = await servers.StartAsync(DatabaseEngine.Sqlite);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no/such/route");
        request.Headers.Add("X-Correlation-Id", "trace-me");

        var response = await host.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal("trace-me", problem.GetProperty("correlationId").GetString());
    }

    [Fact]
    public async Task a_token_signed_with_another_key_is_refused()
    {
        await using var host = await servers.StartAsync(DatabaseEngine.Sqlite);
        var client = host.CreateClient();
        var forged = EmsAchse.TestSupport.DevTokens.For("admin").Split('.');
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", $"{forged[0]}.{forged[1]}.c2lnbmF0dXJl");

        var response = await client.PostAsJsonAsync(new Uri("/api/networks", UriKind.Relative), new { slug = "forged", name = "Forged" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
