using System.Security.Claims;
using System.Text;
using EmsAchse.Platform.Hosting;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace EmsAchse.Platform.Tests;

/// <summary>The cache in front of the bearer scheme's token handler: what it keeps, for how long, and what it never keeps.</summary>
public sealed class ValidatedTokenCacheTests : IDisposable
{
    private static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes("validated-token-cache-test-key-0123456789-abcdef"));
    private static readonly SymmetricSecurityKey OtherKey = new(Encoding.UTF8.GetBytes("some-other-key-that-signed-nothing-0123456789-xyz"));

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CountingHandler _inner = new();
    private readonly ValidatedTokenCache _cache;
    private readonly TokenHandler _handler;

    public ValidatedTokenCacheTests()
    {
        _cache = new ValidatedTokenCache(_time);
        _handler = _cache.Around(_inner);
    }

    private static TokenValidationParameters Parameters => new()
    {
        ValidIssuer = "emsachse-dev",
        ValidAudience = "emsachse",
        IssuerSigningKey = Key,
        RoleClaimType = PlatformClaims.Role,
        ClockSkew = TimeSpan.Zero,
    };

    private static string Token(TimeSpan lifetime, SecurityKey? key = null) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "emsachse-dev",
        Audience = "emsachse",
        Subject = new ClaimsIdentity([new Claim(PlatformClaims.Role, Roles.NetworkManager), new Claim(PlatformClaims.Network, "it-achse")]),
        NotBefore = DateTime.UtcNow.AddMinutes(-1),
        IssuedAt = DateTime.UtcNow.AddMinutes(-1),
        Expires = DateTime.UtcNow.Add(lifetime),
        SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.HmacSha256),
    });

    [Fact]
    public async Task a_token_that_validated_is_not_validated_again_while_kept()
    {
        var token = Token(TimeSpan.FromMinutes(10));

        var first = await _handler.ValidateTokenAsync(token, Parameters);
        var second = await _handler.ValidateTokenAsync(token, Parameters);

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, _inner.Calls);
        Assert.True(new ClaimsPrincipal(second.ClaimsIdentity).IsInRole(Roles.NetworkManager));
        Assert.Equal("it-achse", second.ClaimsIdentity.FindFirst(PlatformClaims.Network)?.Value);
    }

    [Fact]
    public async Task a_token_that_failed_is_validated_every_time()
    {
        var forged = Token(TimeSpan.FromMinutes(10), OtherKey);

        var first = await _handler.ValidateTokenAsync(forged, Parameters);
        var second = await _handler.ValidateTokenAsync(forged, Parameters);

        Assert.False(first.IsValid);
        Assert.False(second.IsValid);
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task a_kept_token_is_validated_again_after_the_maximum_age()
    {
        var token = Token(TimeSpan.FromMinutes(10));
        await _handler.ValidateTokenAsync(token, Parameters);

        _time.Advance(ValidatedTokenCache.MaxAge - TimeSpan.FromSeconds(1));
        await _handler.ValidateTokenAsync(token, Parameters);
        Assert.Equal(1, _inner.Calls);

        _time.Advance(TimeSpan.FromSeconds(2));
        await _handler.ValidateTokenAsync(token, Parameters);
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task a_token_is_not_kept_past_its_own_expiry()
    {
        var token = Token(TimeSpan.FromSeconds(20));
        await _handler.ValidateTokenAsync(token, Parameters);

        // Past the token's expiry, well within the maximum age: the cache must not answer for it.
        _time.Advance(TimeSpan.FromSeconds(21));
        await _handler.ValidateTokenAsync(token, Parameters);

        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task each_request_gets_its_own_identity()
    {
        var token = Token(TimeSpan.FromMinutes(10));
        var first = await _handler.ValidateTokenAsync(token, Parameters);
        var second = await _handler.ValidateTokenAsync(token, Parameters);

        // Whatever one request does to its identity (the one that validated, or one served from the cache)...
        first.ClaimsIdentity.AddClaim(new Claim(PlatformClaims.Role, Roles.Admin));
        second.ClaimsIdentity.AddClaim(new Claim(PlatformClaims.Network, "mema"));
        var third = await _handler.ValidateTokenAsync(token, Parameters);

        // ...no later request sees.
        Assert.Equal(1, _inner.Calls);
        Assert.NotSame(second.ClaimsIdentity, third.ClaimsIdentity);
        Assert.False(new ClaimsPrincipal(third.ClaimsIdentity).IsInRole(Roles.Admin));
        Assert.Equal(["it-achse"], third.ClaimsIdentity.FindAll(PlatformClaims.Network).Select(c => c.Value));
    }

    public void Dispose() => _cache.Dispose();

    /// <summary>The real JSON web token handler, counting how often it is asked.</summary>
    private sealed class CountingHandler : TokenHandler
    {
        private readonly JsonWebTokenHandler _real = new() { MapInboundClaims = false };
        private int _calls;

        public int Calls => _calls;

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref _calls);
            return _real.ValidateTokenAsync(token, validationParameters);
        }
    }
}
