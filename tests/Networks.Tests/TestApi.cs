using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.TestSupport;
using Xunit;

namespace EmsAchse.Networks.Tests;

/// <summary>Steps the API tests share: set up a network or site through the API, and take snapshots to prove a refusal changed nothing.</summary>
internal static class TestApi
{
    public static Uri Path(string path) => new(path, UriKind.Relative);

    public static async Task RegisterAsync(this ServiceHost<Program> host, string slug, string name, string? founded = null)
    {
        var response = await host.ClientAs("admin").PostAsJsonAsync(Path("/api/networks"), new { slug, name, description = $"{name} description", topics = new[] { "it" }, founded });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public static async Task<Guid> OpenSiteAsync(this ServiceHost<Program> host, string slug, string name, string town = "Lingen (Ems)", string district = "emsland", string opened = "2020-01-01")
    {
        var response = await host.ClientAs("admin").PostAsJsonAsync(Path($"/api/networks/{slug}/sites"), new { name, town, district, opened });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>The body an admin reads at the path: compared before and after a refused request.</summary>
    public static async Task<string> SnapshotAsync(this ServiceHost<Program> host, string path)
    {
        var response = await host.ClientAs("admin").GetAsync(Path(path));
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    public static async Task<JsonElement> ReadAsync(this ServiceHost<Program> host, string path, string? role = null, params string[] networks)
    {
        var response = await host.ClientAs(role, networks).GetAsync(Path(path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task AssertFieldErrorAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}': {problem}");
    }

    public static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
    }
}

/// <summary>The events the service stored in its outbox for one aggregate, oldest first.</summary>
internal static class Outbox
{
    private sealed class Row
    {
        public string MessageType { get; init; } = "";
        public string Body { get; init; } = "";
    }

    public static async Task<IReadOnlyList<(string Type, JsonElement Body)>> EventsAsync(ServiceHost<Program> host, string aggregateId)
    {
        var db = (EmsAchse.Platform.Persistence.ServiceDatabase)host.Services.GetService(typeof(EmsAchse.Platform.Persistence.ServiceDatabase))!;
        await using var connection = await db.OpenAsync();
        var rows = await Dapper.SqlMapper.QueryAsync<Row>(connection,
            "SELECT message_type AS MessageType, body AS Body FROM outbox_messages WHERE aggregate_id = @aggregateId ORDER BY id", new { aggregateId });
        return rows.Select(r => (r.MessageType.Split(',')[0].Split('.')[^1], JsonSerializer.Deserialize<JsonElement>(r.Body))).ToList();
    }
}
