extern alias identity;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using EmsAchse.TestSupport;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace EmsAchse.Identity.Tests;

[Collection(IdentityCollection.Name)]
public sealed class AuthorityTests(IdentityPlatform platform)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task discovery_names_every_endpoint_under_the_public_issuer()
    {
        using var browser = new Browser(platform.Identity.Address);
        var discovery = await browser.GetJsonAsync<JsonElement>(new Uri(platform.Identity.Address, "identity/.well-known/openid-configuration"));

        Assert.Equal(platform.Issuer.ToString(), discovery.GetProperty("issuer").GetString());
        foreach (var (name, path) in new[]
        {
            ("authorization_endpoint", "connect/authorize"), ("token_endpoint", "connect/token"), ("userinfo_endpoint", "connect/userinfo"),
            ("end_session_endpoint", "connect/endsession"), ("revocation_endpoint", "connect/revoke"), ("jwks_uri", ".well-known/jwks"),
        })
        {
            Assert.Equal(new Uri(platform.Issuer, path).ToString(), discovery.GetProperty(name).GetString());
        }
        var grants = discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()).ToArray();
        Assert.Equal(["authorization_code", "client_credentials", "refresh_token"], grants.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task a_network_manager_signed_in_with_the_code_flow_manages_their_network_and_no_other()
    {
        var manager = await CreateAccountAsync("network-manager", ["it-achse"]);
        using var browser = new Browser(platform.Identity.Address);

        var tokens = await browser.CodeFlowAsync(platform.PortalRedirectUri, IdentityPlatform.PortalSecret, manager.Email, manager.OneTimePassword);

        var token = new JsonWebTokenHandler().ReadJsonWebToken(tokens.AccessToken);
        Assert.Equal(platform.Issuer.ToString(), token.Issuer);
        Assert.Contains("emsachse", token.Audiences);
        Assert.Equal(manager.Id, token.Subject);
        Assert.Equal("Netzwerk Leitung", token.GetClaim("name").Value);
        Assert.Equal(["network-manager"], token.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        Assert.Equal(["it-achse"], token.Claims.Where(c => c.Type == "network").Select(c => c.Value));
        Assert.True(token.ValidTo - token.IssuedAt <= TimeSpan.FromMinutes(5), $"lifetime {token.ValidTo - token.IssuedAt}");
        Assert.Equal("RS256", token.Alg);

        using var networks = NetworksClient(tokens.AccessToken);
        using (var own = await ChangeNetworkAsync(networks, "it-achse"))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }
        using (var other = await ChangeNetworkAsync(networks, "mema"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        }
    }

    [Fact]
    public async Task a_refresh_gives_a_new_access_token_built_from_the_account()
    {
        var manager = await CreateAccountAsync("network-manager", ["mema"]);
        using var browser = new Browser(platform.Identity.Address);
        var first = await browser.CodeFlowAsync(platform.PortalRedirectUri, IdentityPlatform.PortalSecret, manager.Email, manager.OneTimePassword);
        Assert.NotNull(first.RefreshToken);

        var refreshed = await browser.RedeemAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = first.RefreshToken!,
            ["client_id"] = "portal",
            ["client_secret"] = IdentityPlatform.PortalSecret,
        });

        Assert.NotEqual(first.AccessToken, refreshed.AccessToken);
        var token = new JsonWebTokenHandler().ReadJsonWebToken(refreshed.AccessToken);
        Assert.Equal(["mema"], token.Claims.Where(c => c.Type == "network").Select(c => c.Value));
        using var networks = NetworksClient(refreshed.AccessToken);
        using var own = await ChangeNetworkAsync(networks, "mema");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task an_integrator_client_registered_by_an_admin_reads_but_may_not_write()
    {
        using var admin = await AdminClientAsync();
        using var created = await admin.PostAsJsonAsync(new Uri("identity/api/clients", UriKind.Relative), new { name = "CRM Lingen" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var client = (await created.Content.ReadFromJsonAsync<JsonElement>(Web));
        using var browser = new Browser(platform.Identity.Address);

        var tokens = await browser.RedeemAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = client.GetProperty("clientId").GetString()!,
            ["client_secret"] = client.GetProperty("clientSecret").GetString()!,
            ["scope"] = "emsachse",
        });

        var token = new JsonWebTokenHandler().ReadJsonWebToken(tokens.AccessToken);
        Assert.Equal(["integrator"], token.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        Assert.Equal("CRM Lingen", token.GetClaim("name").Value);
        using var networks = NetworksClient(tokens.AccessToken);
        using (var read = await networks.GetAsync(new Uri("/api/networks/it-achse/managers", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
        using (var write = await ChangeNetworkAsync(networks, "it-achse"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        }
        // Integrators cannot administer identity either.
        using var identityApi = new HttpClient { BaseAddress = platform.Identity.Address };
        identityApi.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        using var refused = await identityApi.PostAsJsonAsync(new Uri("identity/api/clients", UriKind.Relative), new { name = "Another" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task a_wrong_client_secret_gets_no_token()
    {
        using var browser = new Browser(platform.Identity.Address);
        using var response = await browser.TokenRequestAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "portal",
            ["client_secret"] = "not-the-secret",
        });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task a_token_signed_with_an_unknown_key_is_refused_by_the_service()
    {
        using var rsa = RSA.Create(2048);
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = platform.Issuer.ToString(),
            Audience = "emsachse",
            Subject = new ClaimsIdentity([new Claim("sub", "intruder"), new Claim("name", "Intruder"), new Claim("role", "admin")]),
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = "unknown-key" }, SecurityAlgorithms.RsaSha256),
        });

        using var networks = NetworksClient(forged);
        using var response = await ChangeNetworkAsync(networks, "it-achse");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task development_tokens_keep_working_beside_the_authority()
    {
        using var networks = NetworksClient(DevTokens.For("network-manager", "it-achse"));

        using var response = await ChangeNetworkAsync(networks, "it-achse");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    internal async Task<HttpClient> AdminClientAsync()
    {
        using var browser = new Browser(platform.Identity.Address);
        var tokens = await browser.CodeFlowAsync(platform.PortalRedirectUri, IdentityPlatform.PortalSecret, platform.AdminEmail, platform.AdminPassword);
        var client = new HttpClient { BaseAddress = platform.Identity.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return client;
    }

    internal async Task<CreatedAccount> CreateAccountAsync(string role, string[] networks)
    {
        using var admin = await AdminClientAsync();
        var email = $"leitung-{Guid.NewGuid():N}@example.org";
        using var response = await admin.PostAsJsonAsync(new Uri("identity/api/accounts", UriKind.Relative),
            new { email, name = "Netzwerk Leitung", roles = new[] { role }, networks });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CreatedAccount>(Web))!;
    }

    private HttpClient NetworksClient(string accessToken)
    {
        var client = new HttpClient { BaseAddress = platform.Networks.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>PUT the network's details back unchanged: a write only its managers and admins may do.</summary>
    internal static async Task<HttpResponseMessage> ChangeNetworkAsync(HttpClient networks, string slug)
    {
        using var anonymous = new HttpClient { BaseAddress = networks.BaseAddress };
        var current = await anonymous.GetFromJsonAsync<JsonElement>(new Uri($"/api/networks/{slug}", UriKind.Relative));
        return await networks.PutAsJsonAsync(new Uri($"/api/networks/{slug}", UriKind.Relative), new
        {
            name = current.GetProperty("name").GetString(),
            description = current.GetProperty("description").GetString(),
            topics = current.GetProperty("topics").EnumerateArray().Select(t => t.GetString()).ToArray(),
            founded = current.TryGetProperty("founded", out var founded) && founded.ValueKind == JsonValueKind.String ? founded.GetString() : null,
        });
    }
}

public sealed record CreatedAccount(string Id, string Email, string OneTimePassword);
