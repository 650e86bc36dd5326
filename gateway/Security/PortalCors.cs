using System.ComponentModel.DataAnnotations;

namespace EmsAchse.Gateway.Security;

public sealed class CorsOptions : IValidatableObject
{
    public const string Section = "Cors";

    /// <summary>The portal's origins (scheme://host[:port]); browsers elsewhere get no CORS grant.</summary>
    public List<string> PortalOrigins { get; } = [];

    // A browser sends the origin without path or trailing slash; an entry with one would never match.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in PortalOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || !string.Equals(origin, uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
            {
                yield return new ValidationResult($"{Section}:PortalOrigins has '{origin}'; an origin is scheme://host[:port], without path or trailing slash.", [nameof(PortalOrigins)]);
            }
        }
    }
}

internal static class PortalCors
{
    public static void AddPortalCors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CorsOptions>().Bind(configuration.GetSection(CorsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var origins = configuration.GetSection(CorsOptions.Section).Get<CorsOptions>()?.PortalOrigins ?? [];
        services.AddCors(o => o.AddDefaultPolicy(p => p
            .WithOrigins([.. origins])
            .WithMethods("GET", "HEAD", "POST", "PUT", "DELETE")
            .WithHeaders("Authorization", "Content-Type", ApiKeyAuthenticationHandler.Header, EmsAchse.Platform.Hosting.CorrelationContext.Header)
            .WithExposedHeaders(EmsAchse.Platform.Hosting.CorrelationContext.Header, "Retry-After", "Location")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
    }
}
