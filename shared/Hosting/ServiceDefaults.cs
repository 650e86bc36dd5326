using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EmsAchse.Platform.Hosting;

/// <summary>
/// What every process shares (logging, telemetry, health, correlation), in two variants: APIs (the services, the
/// gateway: problem+json for every error, bearer tokens by default) and web apps (identity, the portal: their own
/// error pages and sign-in schemes, which an API's defaults would turn into JSON and bearer challenges).
/// </summary>
public static class ServiceDefaults
{
    public const string ReadyTag = "ready";

    /// <summary>An API: the common defaults, problem details for every error, JSON conventions, bearer tokens.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, string serviceName)
        where TBuilder : IHostApplicationBuilder
    {
        builder.AddHostDefaults(serviceName);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["correlationId"] = CorrelationContext.Current ?? context.HttpContext.TraceIdentifier;
            if (context.ProblemDetails is HttpValidationProblemDetails validation)
            {
                FieldErrorCodes.AddTo(validation);
            }
        });
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        // Binding failures (bad JSON, unparsable values) throw, so the handler can name the culprit.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });

        // Body limit: declared oversized bodies get 413 from RequestSizeLimit, streamed ones are cut by Kestrel.
        builder.Services.AddOptions<RequestLimitOptions>().Bind(builder.Configuration.GetSection(RequestLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestLimitOptions>>((kestrel, limits) => kestrel.Limits.MaxRequestBodySize = limits.Value.MaxBodyBytes);

        builder.AddPlatformAuthentication();
        builder.Services.AddHostedService<DevelopmentSecretsGuard>();
        return builder;
    }

    /// <summary>A web app with pages of its own: the common defaults only; it chooses its own authentication.</summary>
    public static TBuilder AddWebAppDefaults<TBuilder>(this TBuilder builder, string appName)
        where TBuilder : IHostApplicationBuilder => builder.AddHostDefaults(appName);

    private static TBuilder AddHostDefaults<TBuilder>(this TBuilder builder, string serviceName)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new ServiceIdentity(serviceName));

        // One JSON line per log entry, with scopes, so every line carries the correlation id.
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
        });

        // Traces and metrics only where they go somewhere: with no exporter configured, instrumentation is pure cost on
        // every request (the gateway's benchmark measured it), and nothing would ever read what it recorded.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService(serviceName))
                .WithTracing(t => t
                    .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                    .AddHttpClientInstrumentation()
                    .AddSource("MassTransit", "Npgsql", "Yarp.ReverseProxy"))
                .WithMetrics(m => m
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter("MassTransit"))
                .UseOtlpExporter();
        }

        builder.Services.AddHealthChecks();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder;
    }

    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseMiddleware<CorrelationMiddleware>();
        app.Use(FieldErrorCodes.TrackAsync);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestSizeLimit>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthEndpoints();
        // Under MapApi, so the contributed endpoints declare the pipeline's problems like the service's own.
        var api = app.MapApi();
        foreach (var contributor in app.Services.GetServices<IEndpointContributor>())
        {
            contributor.Map(api);
        }
        return app;
    }

    /// <summary>
    /// A web app: correlation and health; error pages, status code pages and authentication are the app's, since
    /// they depend on where its pages and sign-in live.
    /// </summary>
    public static WebApplication UseWebAppDefaults(this WebApplication app)
    {
        app.UseMiddleware<CorrelationMiddleware>();
        app.MapHealthEndpoints();
        return app;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Live: the process answers. Ready: it can do its work (database, broker, ...).
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthReportWriter.WriteAsync })
            .AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = HealthReportWriter.WriteAsync })
            .AllowAnonymous();
        return endpoints;
    }
}

public sealed record ServiceIdentity(string Name);

/// <summary>
/// Endpoints a building block brings along (messaging's operations, say), mapped by <c>UseServiceDefaults</c>: the
/// hosting defaults need not know the blocks that build on them.
/// </summary>
public interface IEndpointContributor
{
    void Map(IEndpointRouteBuilder endpoints);
}

/// <summary>
/// Status per check for everyone; descriptions and data (hosts, exception texts) only for admins, because readiness
/// is public and an error message can name internal addresses.
/// </summary>
internal static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var service = context.RequestServices.GetService<ServiceIdentity>()?.Name;
        var details = context.User.IsAdmin();
        return context.Response.WriteAsJsonAsync(new
        {
            service,
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => details
                    ? (object)new { status = e.Value.Status.ToString(), description = e.Value.Description ?? e.Value.Exception?.Message, data = e.Value.Data }
                    : new { status = e.Value.Status.ToString() }),
        });
    }
}
