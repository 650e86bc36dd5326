using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Platform.Persistence;
using Xunit;
using static EmsAchse.Networks.Tests.TestApi;

namespace EmsAchse.Networks.Tests;

/// <summary>A refused manager write names the rule, never the manager's e-mail: the refusal's detail is what the service logs.</summary>
[Collection(NetworksCollection.Name)]
public sealed class ManagerPrivacyTests(NetworksServers servers)
{
    [Fact]
    public async Task a_second_manager_with_the_same_email_is_refused_without_the_email_in_the_logged_message()
    {
        await using var host = await servers.StartAsync(DatabaseEngine.Sqlite);
        await host.RegisterAsync("it-achse", "IT-Achse");
        var admin = host.ClientAs("admin");
        (await admin.PostAsJsonAsync(Path("/api/networks/it-achse/managers"), new { name = "Anna Beispiel", email = "anna.beispiel@it-achse.example" })).EnsureSuccessStatusCode();

        var again = await admin.PostAsJsonAsync(Path("/api/networks/it-achse/managers"), new { name = "Anna Zwei", email = "Anna.Beispiel@it-achse.example" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        var detail = (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Contains("already has a manager with this e-mail address", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("beispiel", detail, StringComparison.OrdinalIgnoreCase);
    }
}
