using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace EmsAchse.Identity.Tests;

/// <summary>The same authority on PostgreSQL: its migrations, first admin, code flow and client registrations.</summary>
[Collection(IdentityCollection.Name)]
public sealed class PostgresTests(IdentityPlatform platform)
{
    [Fact]
    public async Task on_postgres_the_first_admin_signs_in_and_registers_an_integrator_whose_token_the_service_accepts()
    {
        await using var identity = platform.StartIdentity(await platform.Postgres.CreateDatabaseAsync("identity"), "postgres");
        var (email, password) = await platform.ReadInitialAdminAsync("postgres");
        using var browser = new Browser(identity.Address);

        var admin = await browser.CodeFlowAsync(platform.PortalRedirectUri, IdentityPlatform.PortalSecret, email, password);

        Assert.Equal(["admin"], new JsonWebTokenHandler().ReadJsonWebToken(admin.AccessToken).Claims.Where(c => c.Type == "role").Select(c => c.Value));
        using var api = new HttpClient { BaseAddress = identity.Address };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin.AccessToken);
        using var created = await api.PostAsJsonAsync(new Uri("identity/api/clients", UriKind.Relative), new { name = "Newsletter" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var client = await created.Content.ReadFromJsonAsync<JsonElement>(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        // The audit trail on PostgreSQL: the admin's sign-in, with its address, newest first and paged.
        var audit = await api.GetFromJsonAsync<AuditPage>(new Uri("identity/api/audit?kind=sign-in&page=1&pageSize=1", UriKind.Relative), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Assert.Equal(1, audit!.Total);
        Assert.Equal(email, Assert.Single(audit.Items).Email);
        Assert.Equal("127.0.0.1", audit.Items[0].Address);
        var listed = await api.GetFromJsonAsync<JsonElement>(new Uri("identity/api/clients", UriKind.Relative));
        Assert.Contains(listed.EnumerateArray(), c => c.GetProperty("clientId").GetString() == client.GetProperty("clientId").GetString());

        var integrator = await browser.RedeemAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = client.GetProperty("clientId").GetString()!,
            ["client_secret"] = client.GetProperty("clientSecret").GetString()!,
        });

        // The networks service trusts the issuer; this instance shares its keys, like a second instance would.
        using var networks = new HttpClient { BaseAddress = platform.Networks.Address };
        networks.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", integrator.AccessToken);
        using var write = await networks.PostAsJsonAsync(new Uri("/api/networks", UriKind.Relative), new { slug = "nicht-erlaubt", name = "Nicht erlaubt" });
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        networks.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin.AccessToken);
        using var change = await AuthorityTests.ChangeNetworkAsync(networks, "it-achse");
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
    }
}
