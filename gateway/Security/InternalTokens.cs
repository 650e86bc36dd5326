using System.Collections.Concurrent;
using System.Text;
using EmsAchse.Platform.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EmsAchse.Gateway.Security;

/// <summary>
/// The services accept only JWTs, so a caller authenticated by API key is forwarded with a short-lived token
/// that the gateway mints for the key's identity (its name and roles), signed with the same Jwt:SigningKey
/// the services validate (with an OpenID Connect authority, they accept that key next to the authority's).
/// Tokens are cached per key and renewed a minute before they expire.
/// </summary>
internal sealed class InternalTokens(IOptions<JwtOptions> jwtOptions, TimeProvider clock)
{
    internal static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<ApiKeyIdentity, (string Token, DateTimeOffset Expires)> _cache = new();
    private readonly JsonWebTokenHandler _handler = new();
    private SigningCredentials? _credentials;

    public string For(ApiKeyIdentity key)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && cached.Expires - RenewBefore > now)
        {
            return cached.Token;
        }
        var expires = now + Lifetime;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = $"api-key:{key.Name}",
            [PlatformClaims.Name] = key.Name,
            [PlatformClaims.Role] = key.Roles.Length == 1 ? key.Roles[0] : key.Roles,
        };
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwtOptions.Value.Issuer,
            Audience = jwtOptions.Value.Audience,
            Claims = claims,
            NotBefore = now.UtcDateTime.AddSeconds(-5),
            IssuedAt = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = Credentials(),
        });
        _cache[key] = (token, expires);
        return token;
    }

    private SigningCredentials Credentials()
    {
        if (_credentials is not null)
        {
            return _credentials;
        }
        var signingKey = jwtOptions.Value.SigningKey;
        if (string.IsNullOrWhiteSpace(signingKey))
        {
            throw new InvalidOperationException("API keys need Jwt:SigningKey (also next to Jwt:Authority, shared with the services): the gateway signs the integrator token it forwards with it.");
        }
        return _credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256);
    }

    /// <summary>True when the request was authenticated by API key (the services would not understand the key).</summary>
    public static ApiKeyIdentity? ApiKeyOf(HttpContext context) =>
        context.Items.TryGetValue(typeof(ApiKeyIdentity), out var key) && context.User.Identity?.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName
            ? key as ApiKeyIdentity
            : null;
}
