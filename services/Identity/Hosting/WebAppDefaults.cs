using System.Net;
using EmsAchse.Platform.Hosting;
using Microsoft.AspNetCore.HttpOverrides;

namespace EmsAchse.Identity.Hosting;

/// <summary>
/// Hosting for a web app with pages (identity now, the portal later): what <c>AddServiceDefaults</c> gives the APIs
/// (JSON logs, correlation, health, problem details) without making JwtBearer the default scheme and without turning
/// every 404 of a page into problem+json. The common part is shared/Hosting's web-app variant; this adds what is
/// identity's own (forwarded headers from the gateway, path base, problem details under /api).
/// </summary>
public static class WebAppDefaults
{
    public const string PathBase = "/identity";

    public static WebApplicationBuilder AddWebAppDefaults(this WebApplicationBuilder builder, string serviceName, IReadOnlyList<string> gatewayAddresses)
    {
        // The shared web-app variant: JSON logs, telemetry, health, no bearer default and no problem+json for pages.
        ServiceDefaults.AddWebAppDefaults(builder, serviceName);

        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["correlationId"] = CorrelationContext.Current ?? context.HttpContext.TraceIdentifier;
        });

        // Only the gateway may tell us the caller's address and scheme (the lockout and the audit trail rely on it).
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // The host too: redirects (to the sign-in page, back to authorize) must name the gateway, not this address.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var address in gatewayAddresses)
            {
                o.KnownProxies.Add(IPAddress.Parse(address));
            }
        });

        return builder;
    }

    public static WebApplication UseWebAppDefaults(this WebApplication app)
    {
        app.UseForwardedHeaders();
        // Behind the gateway every path starts with /identity; directly (health checks) it may not.
        app.UsePathBase(PathBase);
        app.UseRouting();
        app.UseMiddleware<CorrelationMiddleware>();
        app.UseExceptionHandler();
        // Problem details for the API only; the pages keep their own answers.
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal), api => api.UseStatusCodePages());
        app.Use((context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'";
            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthEndpoints();
        return app;
    }
}
