using System.Threading.RateLimiting;
using EmsAchse.Gateway.Limits;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace EmsAchse.Gateway.Security;

/// <summary>
/// Credentials that are sent must be valid, even on a public route: a revoked key or an expired token gets 401
/// instead of silently being served as anonymous, so a caller learns at once that its credentials stopped working.
/// Each refusal costs the client's address (IPv6: its /64) a token of <see cref="RateLimitOptions.FailedAuthentication"/>;
/// once they are used up every request with credentials from there gets 429, valid or not, so guessing learns nothing.
/// </summary>
internal sealed class RejectInvalidCredentials(RequestDelegate next, FailedAuthentications failures)
{
    public Task InvokeAsync(HttpContext context)
    {
        // Only what the gateway authorises itself: identity authenticates its clients at /identity/connect/token with
        // a scheme of its own (client_secret_basic), and web pages decide for themselves.
        var ours = context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);
        if (!ours || (!context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header) && context.Request.Headers.Authorization.Count == 0))
        {
            return next(context);
        }
        var valid = context.User.Identity?.IsAuthenticated == true;
        using var lease = failures.Acquire(context, valid ? 0 : 1);
        if (!lease.IsAcquired)
        {
            return RateLimiting.WriteTooManyAsync(context, lease, "Too many failed authentications from this address");
        }
        return valid ? next(context) : context.ChallengeAsync();
    }
}

/// <summary>Token buckets of failed authentications per client address partition.</summary>
internal sealed class FailedAuthentications(IOptionsMonitor<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter = PartitionedRateLimiter.Create<HttpContext, (string Address, TokenBucketLimit Limit)>(
        context => RateLimitPartition.GetTokenBucketLimiter(
            (Address: ClientAddress.PartitionOf(context.Connection.RemoteIpAddress), Limit: options.CurrentValue.FailedAuthentication),
            static key => new TokenBucketRateLimiterOptions
            {
                TokenLimit = key.Limit.TokenLimit,
                TokensPerPeriod = key.Limit.TokensPerPeriod,
                ReplenishmentPeriod = key.Limit.ReplenishmentPeriod,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    /// <summary>One failure, or 0 to ask whether the address still has any left.</summary>
    public RateLimitLease Acquire(HttpContext context, int failures) => _limiter.AttemptAcquire(context, failures);

    public void Dispose() => _limiter.Dispose();
}
