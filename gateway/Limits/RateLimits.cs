using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using EmsAchse.Gateway.Security;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace EmsAchse.Gateway.Limits;

/// <summary>A token bucket: up to <see cref="TokenLimit"/> requests at once, refilled by <see cref="TokensPerPeriod"/> each <see cref="ReplenishmentPeriod"/>.</summary>
public sealed record TokenBucketLimit
{
    [Range(1, 1_000_000)]
    public int TokenLimit { get; set; } = 100;

    [Range(1, 1_000_000)]
    public int TokensPerPeriod { get; set; } = 50;

    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Limits per caller class; an API key may carry its own (ApiKeys:Keys:NAME:RateLimit).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Per client IP address, for callers without credentials.</summary>
    public TokenBucketLimit Anonymous { get; set; } = new() { TokenLimit = 60, TokensPerPeriod = 30 };

    /// <summary>Per API key.</summary>
    public TokenBucketLimit ApiKey { get; set; } = new() { TokenLimit = 200, TokensPerPeriod = 100 };

    /// <summary>Per token subject (portal, network managers).</summary>
    public TokenBucketLimit User { get; set; } = new() { TokenLimit = 400, TokensPerPeriod = 200 };

    /// <summary>Refused credentials (wrong, expired or revoked key or token) per client address, IPv6 by /64.</summary>
    public TokenBucketLimit FailedAuthentication { get; set; } = new() { TokenLimit = 10, TokensPerPeriod = 10, ReplenishmentPeriod = TimeSpan.FromMinutes(1) };
}

/// <summary>Token buckets per API key, per token subject, and per client address for anonymous callers; /api and /health are limited.</summary>
internal static class RateLimiting
{
    private static readonly PathString Api = "/api";
    private static readonly PathString Health = "/health";

    public static void AddGatewayRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, Partition>(PartitionOf);
            o.OnRejected = RejectAsync;
        });
    }

    // The limit is part of the key, so a changed limit (configuration reload) starts a fresh bucket.
    private static RateLimitPartition<Partition> PartitionOf(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(Api) && !context.Request.Path.StartsWithSegments(Health))
        {
            return RateLimitPartition.GetNoLimiter(Partition.Unlimited);
        }
        var options = context.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;
        Partition partition;
        if (InternalTokens.ApiKeyOf(context) is { } key)
        {
            partition = new Partition("key", key.Name, key.RateLimit ?? options.ApiKey);
        }
        else if (context.User.Identity?.IsAuthenticated == true)
        {
            partition = new Partition("user", context.User.FindFirst("sub")?.Value ?? context.User.Identity.Name ?? "", options.User);
        }
        else
        {
            partition = new Partition("ip", ClientAddress.PartitionOf(context.Connection.RemoteIpAddress), options.Anonymous);
        }
        return RateLimitPartition.GetTokenBucketLimiter(partition, static p => new TokenBucketRateLimiterOptions
        {
            TokenLimit = p.Limit.TokenLimit,
            TokensPerPeriod = p.Limit.TokensPerPeriod,
            ReplenishmentPeriod = p.Limit.ReplenishmentPeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken) =>
        new(WriteTooManyAsync(rejected.HttpContext, rejected.Lease, "The rate limit for this caller is used up"));

    /// <summary>429 problem+json with Retry-After from the lease (at least one second).</summary>
    internal static async Task WriteTooManyAsync(HttpContext context, RateLimitLease lease, string reason)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests.",
                Detail = $"{reason}; retry after {seconds} s.",
                Type = "https://tools.ietf.org/html/rfc6585#section-4",
            },
        });
    }

    // Record equality compares the limit by value too, so a reloaded but unchanged configuration keeps the bucket.
    internal readonly record struct Partition(string Kind, string Id, TokenBucketLimit Limit)
    {
        public static readonly Partition Unlimited = new("none", "", new TokenBucketLimit());
    }
}
