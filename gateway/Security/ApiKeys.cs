using System.Collections.Frozen;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using EmsAchse.Gateway.Limits;
using EmsAchse.Platform.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace EmsAchse.Gateway.Security;

/// <summary>
/// Integrators' API keys. Only the SHA-256 of a key is configured (lower-case hex), never the key itself.
/// Revoke a key by setting <c>Revoked</c> or removing its entry: the change applies when configuration reloads.
/// </summary>
public sealed class ApiKeyOptions : IValidatableObject
{
    public const string Section = "ApiKeys";

    private static readonly string[] KnownRoles = [Roles.Admin, Roles.NetworkManager, Roles.Integrator];

    /// <summary>Key name (shown in logs and forwarded as the caller's name) -> key.</summary>
    public Dictionary<string, ApiKeyEntry> Keys { get; } = new(StringComparer.Ordinal);

    // A key that can never match (a typo in the hash, an unknown role) would otherwise only show as 401s in production.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, entry) in Keys)
        {
            var hash = entry.Sha256?.Trim() ?? "";
            if (!entry.Revoked && (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit)))
            {
                yield return new ValidationResult($"{Section}:Keys:{name}:Sha256 must be the SHA-256 of the key as 64 hex digits (printf %s KEY | sha256sum).", [nameof(Keys)]);
            }
            foreach (var role in entry.Roles.Where(r => !KnownRoles.Contains(r)))
            {
                yield return new ValidationResult($"{Section}:Keys:{name}:Roles has '{role}'; known roles: {string.Join(", ", KnownRoles)}.", [nameof(Keys)]);
            }
        }
    }
}

public sealed class ApiKeyEntry
{
    /// <summary>SHA-256 of the key, hex (`printf %s KEY | sha256sum`).</summary>
    public string? Sha256 { get; set; }

    public List<string> Roles { get; } = [];

    public bool Revoked { get; set; }

    /// <summary>This key's own limit, instead of RateLimits:ApiKey.</summary>
    public TokenBucketLimit? RateLimit { get; set; }
}

/// <summary>A valid key as the gateway knows it.</summary>
internal sealed record ApiKeyIdentity(string Name, string[] Roles, TokenBucketLimit? RateLimit);

/// <summary>Looks keys up by hash; rebuilt whenever the ApiKeys configuration changes.</summary>
internal sealed class ApiKeyRegistry : IDisposable
{
    private readonly IDisposable? _subscription;
    private volatile FrozenDictionary<string, ApiKeyIdentity> _byHash;

    public ApiKeyRegistry(IOptionsMonitor<ApiKeyOptions> options)
    {
        _byHash = Build(options.CurrentValue);
        _subscription = options.OnChange(o => _byHash = Build(o));
    }

    public ApiKeyIdentity? Find(string presentedKey)
    {
        if (presentedKey.Length is 0 or > 512)
        {
            return null;
        }
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey), hash);
        return _byHash.GetValueOrDefault(Convert.ToHexStringLower(hash));
    }

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public void Dispose() => _subscription?.Dispose();

    private static FrozenDictionary<string, ApiKeyIdentity> Build(ApiKeyOptions options) =>
        options.Keys
            .Where(k => !k.Value.Revoked && !string.IsNullOrWhiteSpace(k.Value.Sha256))
            .ToFrozenDictionary(
                k => k.Value.Sha256!.Trim().ToLowerInvariant(),
                k => new ApiKeyIdentity(k.Key, k.Value.Roles.Count > 0 ? [.. k.Value.Roles] : [Roles.Integrator], k.Value.RateLimit));
}

/// <summary>Authenticates <c>X-Api-Key</c>: a known, unrevoked key becomes a principal with the key's roles.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyRegistry registry)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    public const string KeyNameClaim = "api_key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var key = registry.Find(presented.ToString());
        if (key is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown or revoked API key."));
        }
        var claims = new List<Claim>
        {
            new("sub", $"api-key:{key.Name}"),
            new(PlatformClaims.Name, key.Name),
            new(KeyNameClaim, key.Name),
        };
        claims.AddRange(key.Roles.Select(r => new Claim(PlatformClaims.Role, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, PlatformClaims.Name, PlatformClaims.Role));
        Context.Items[typeof(ApiKeyIdentity)] = key;
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{Header}\"";
        return Task.CompletedTask;
    }
}
