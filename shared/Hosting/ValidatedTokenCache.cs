using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.Tokens;

namespace EmsAchse.Platform.Hosting;

/// <summary>
/// Bearer tokens that validated, kept until they expire but for at most <see cref="MaxAge"/>, so that a caller's
/// stream of requests pays for parsing and the signature check once instead of on every request (the gateway and
/// then the service each validate every call). Failures are never kept. Each hit gets its own copy of the identity,
/// so nothing a request does to its principal reaches another request.
/// The price: a token signed with a key that is withdrawn stays accepted for up to <see cref="MaxAge"/>.
/// </summary>
public sealed class ValidatedTokenCache(TimeProvider time) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);
    private const int Capacity = 10_000;

    private readonly MemoryCache _validated = new(new MemoryCacheOptions { SizeLimit = Capacity });

    /// <summary>Wraps a token handler (the bearer scheme's) so that its successes are kept here.</summary>
    public TokenHandler Around(TokenHandler inner) => new CachingTokenHandler(inner, this);

    private TokenValidationResult? Find(string token)
    {
        if (_validated.TryGetValue(token, out Validated? hit) && hit is not null)
        {
            if (time.GetUtcNow() < hit.Until)
            {
                return Copy(hit.Result);
            }
            _validated.Remove(token);
        }
        return null;
    }

    private void Keep(string token, TokenValidationResult result)
    {
        if (!result.IsValid || result.ClaimsIdentity is null || result.SecurityToken is not { } securityToken)
        {
            return;
        }
        var now = time.GetUtcNow();
        var until = now + MaxAge;
        if (securityToken.ValidTo != DateTime.MinValue)
        {
            var expires = new DateTimeOffset(DateTime.SpecifyKind(securityToken.ValidTo, DateTimeKind.Utc));
            until = expires < until ? expires : until;
        }
        if (until > now)
        {
            // A copy: the caller that validated gets the original and may change it.
            _validated.Set(token, new Validated(Copy(result), until), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = until - now });
        }
    }

    public void Dispose() => _validated.Dispose();

    private sealed class CachingTokenHandler(TokenHandler inner, ValidatedTokenCache cache) : TokenHandler
    {
        public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            if (cache.Find(token) is { } known)
            {
                return known;
            }
            var result = await inner.ValidateTokenAsync(token, validationParameters);
            cache.Keep(token, result);
            return result;
        }

        public override SecurityToken ReadToken(string token) => inner.ReadToken(token);
    }

    private static TokenValidationResult Copy(TokenValidationResult result) => new()
    {
        IsValid = true,
        ClaimsIdentity = result.ClaimsIdentity.Clone(),
        SecurityToken = result.SecurityToken,
        Issuer = result.Issuer,
        TokenType = result.TokenType,
        TokenContext = result.TokenContext,
    };

    private sealed record Validated(TokenValidationResult Result, DateTimeOffset Until);
}
