using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using EmsAchse.Platform.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace EmsAchse.Platform.Tests;

/// <summary>
/// Production authentication: users' tokens come from an OpenID Connect authority (here a small one on a real
/// port, serving its discovery document and keys), and the tokens the gateway mints for API-key callers are
/// signed with the shared Jwt:SigningKey. A service must accept both, and nothing else.
/// </summary>
public sealed class AuthorityAndSharedKeyTests : IAsyncLifetime
{
    private const string SharedKey = "shared-gateway-and-services-key-for-minted-tokens-0123456789";
    private readonly RSA _authorityRsa = RSA.Create(2048);
    private readonly RSA _strangerRsa = RSA.Create(2048);
    private WebApplication _authority = null!;
    private WebApplication _service = null!;
    private string _issuer = "";

    public async Task InitializeAsync()
    {
        var authority = WebApplication.CreateSlimBuilder();
        authority.WebHost.UseUrls("http://127.0.0.1:0");
        _authority = authority.Build();
        var parameters = _authorityRsa.ExportParameters(includePrivateParameters: false);
        _authority.MapGet("/.well-known/openid-configuration", (HttpContext http) => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = _issuer,
            ["jwks_uri"] = $"{_issuer}/keys",
        }));
        _authority.MapGet("/keys", () => Results.Json(new Dictionary<string, object>
        {
            ["keys"] = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = "authority-1",
                    ["n"] = Base64UrlEncoder.Encode(parameters.Modulus), ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                },
            },
        }));
        await _authority.StartAsync();
        _issuer = _authority.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');

        var service = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        service.WebHost.UseTestServer();
        service.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jwt:Authority"] = _issuer,
            ["Jwt:RequireHttpsMetadata"] = "false",
            ["Jwt:SigningKey"] = SharedKey,
        });
        service.AddServiceDefaults("probe");
        _service = service.Build();
        _service.UseServiceDefaults();
        _service.MapGet("/who", (ClaimsPrincipal user) => user.FindFirst(PlatformClaims.Name)?.Value).RequireAuthorization(Policies.AnyRole);
        await _service.StartAsync();
    }

    private async Task<HttpStatusCode> CallAsync(string token)
    {
        using var client = _service.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.GetAsync(new Uri("/who", UriKind.Relative))).StatusCode;
    }

    private static string Token(string issuer, SigningCredentials credentials, string name) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = issuer,
        Audience = "emsachse",
        Claims = new Dictionary<string, object> { [PlatformClaims.Name] = name, [PlatformClaims.Role] = Roles.Integrator },
        Expires = DateTime.UtcNow.AddMinutes(5),
        SigningCredentials = credentials,
    });

    private SigningCredentials Authority => new(new RsaSecurityKey(_authorityRsa) { KeyId = "authority-1" }, SecurityAlgorithms.RsaSha256);

    private static SigningCredentials Hmac(byte[] key) => new(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256);

    [Fact]
    public async Task a_users_token_from_the_authority_is_accepted()
    {
        Assert.Equal(HttpStatusCode.OK, await CallAsync(Token(_issuer, Authority, "user")));
    }

    [Fact]
    public async Task a_token_the_gateway_minted_with_the_shared_key_is_accepted_next_to_the_authority()
    {
        Assert.Equal(HttpStatusCode.OK, await CallAsync(Token("emsachse-dev", Hmac(Encoding.UTF8.GetBytes(SharedKey)), "api-key:crm")));
    }

    [Fact]
    public async Task a_token_signed_by_any_other_key_is_refused()
    {
        var stranger = new SigningCredentials(new RsaSecurityKey(_strangerRsa) { KeyId = "authority-1" }, SecurityAlgorithms.RsaSha256);
        var wrongSharedKey = Hmac(Encoding.UTF8.GetBytes("some-other-key-that-nobody-shares-0123456789-abcdefgh"));
        // The classic confusion: HS256 "signed" with the authority's public key, which anyone can download.
        var publicKeyAsSecret = Hmac(_authorityRsa.ExportSubjectPublicKeyInfo());

        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(Token(_issuer, stranger, "mallory")));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(Token("emsachse-dev", wrongSharedKey, "mallory")));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(Token(_issuer, publicKeyAsSecret, "mallory")));
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _authority.DisposeAsync();
        _authorityRsa.Dispose();
        _strangerRsa.Dispose();
    }
}
