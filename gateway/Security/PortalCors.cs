namespace EmsAchse.Gateway.Security;

public sealed class CorsOptions
{
    public const string Section = "Cors";

    /// <summary>The portal's origins (scheme://host[:port]); browsers elsewhere get no CORS grant.</summary>
    public List<string> PortalOrigins { get; } = [];
}

internal static class PortalCors
{
    public static void AddPortalCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = configuration.GetSection(CorsOptions.Section).Get<CorsOptions>()?.PortalOrigins ?? [];
        services.AddCors(o => o.AddDefaultPolicy(p => p
            .WithOrigins([.. origins])
            .WithMethods("GET", "HEAD", "POST", "PUT", "DELETE")
            .WithHeaders("Authorization", "Content-Type", ApiKeyAuthenticationHandler.Header, EmsAchse.Platform.Hosting.CorrelationContext.Header)
            .WithExposedHeaders(EmsAchse.Platform.Hosting.CorrelationContext.Header, "Retry-After", "Location")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
    }
}
