using System.Net;
using EmsAchse.Platform.Hosting;
using EmsAchse.Portal.Components;
using EmsAchse.Portal.Components.Pages.Console.Funding;
using EmsAchse.Portal.Components.Pages.Console.Members;
using EmsAchse.Portal.Hosting;
using EmsAchse.Portal.Services;
using EmsAchse.Portal.SignIn;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace EmsAchse.Portal;

/// <summary>The portal's wiring in one place: options, sign-in, the typed gateway clients with their resilience, pages, pipeline.</summary>
public static class Extensions
{
    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        builder.AddWebAppDefaults("portal");
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls("http://127.0.0.1:5105");
        }
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);

        builder.Services.AddOptions<PortalOptions>()
            .Bind(builder.Configuration.GetSection(PortalOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.GatewayUrl.IsAbsoluteUri && (o.GatewayUrl.Scheme == Uri.UriSchemeHttp || o.GatewayUrl.Scheme == Uri.UriSchemeHttps),
                "Portal:GatewayUrl must be an absolute http or https URL")
            .ValidateOnStart();

        builder.Services.AddRazorComponents();
        builder.Services.AddSingleton<LegalTexts>();
        builder.Services.AddHealthChecks().AddCheck<LegalTextsCheck>("legal-texts", tags: [ServiceDefaults.ReadyTag]);

        builder.AddPortalSignIn();

        // Public reads go without the user's token; the console's clients carry it.
        builder.Services.AddTransient<VisitorAddressHandler>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<NetworkCatalogue>();
        builder.Services.AddTransient<CatalogueChangeHandler>();
        builder.Services.AddGatewayClient<NetworksClient>();
        builder.Services.AddGatewayClient<MembersClient>();
        builder.Services.AddGatewayClient<FundingClient>();
        builder.Services.AddConsoleClients();

        // The portal sits behind the gateway on the same host: its redirects and links use the gateway's host.
        builder.Services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost);
        return builder;
    }

    public static WebApplication UsePortal(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseWebAppDefaults();
        app.UseMiddleware<SecurityHeaders>();
        // German pages for errors and unknown paths in every environment: a visitor never sees a stack trace.
        app.UseExceptionHandler("/fehler", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/nicht-gefunden", createScopeForStatusCodePages: true);
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<PageCaching>();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapSignIn();
        app.MapConsoleDownloads();
        app.MapMemberDownloads();
        app.MapRazorComponents<App>();
        return app;
    }

    /// <summary>
    /// A typed client of the gateway's public API, called without the user's token, with the standard resilience
    /// handler: retries only reads (a repeated application could be filed twice) and never a 429, whose Retry-After is
    /// the gateway asking for less.
    /// </summary>
    public static IHttpClientBuilder AddGatewayClient<TClient>(this IServiceCollection services)
        where TClient : class =>
        services.AddHttpClient<TClient>(ConfigureGateway).AddHttpMessageHandler<VisitorAddressHandler>().AddPortalResilience();

    /// <summary>
    /// A console client: like <see cref="AddGatewayClient{TClient}"/>, but every call carries the signed-in user's access
    /// token (<see cref="UserAccessTokenHandler"/>), so the service behind the gateway decides what the user may do.
    /// </summary>
    public static IHttpClientBuilder AddConsoleClient<TClient>(this IServiceCollection services)
        where TClient : class =>
        services.AddHttpClient<TClient>(ConfigureGateway).AddHttpMessageHandler<VisitorAddressHandler>().AddHttpMessageHandler<UserAccessTokenHandler>()
            .AddHttpMessageHandler<CatalogueChangeHandler>().AddPortalResilience();

    /// <summary>
    /// Every class named <c>*Client</c> in the namespace <c>EmsAchse.Portal.Services.Console</c> (one file per area,
    /// Services/Console/&lt;Area&gt;Client.cs) becomes a console client: a new area needs no edit here.
    /// </summary>
    internal static IServiceCollection AddConsoleClients(this IServiceCollection services)
    {
        var add = typeof(Extensions).GetMethod(nameof(AddConsoleClient))!;
        foreach (var client in ConsoleClientTypes())
        {
            add.MakeGenericMethod(client).Invoke(null, [services]);
        }
        return services;
    }

    internal static IEnumerable<Type> ConsoleClientTypes() =>
        typeof(Extensions).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsNested: false, Namespace: "EmsAchse.Portal.Services.Console" }
                && t.Name.EndsWith("Client", StringComparison.Ordinal))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    private static void ConfigureGateway(IServiceProvider sp, HttpClient http)
    {
        var options = sp.GetRequiredService<IOptions<PortalOptions>>().Value;
        http.BaseAddress = options.GatewayUrl;
        http.Timeout = Timeout.InfiniteTimeSpan; // the resilience handler's total timeout rules
    }

    private static IHttpClientBuilder AddPortalResilience(this IHttpClientBuilder client)
    {
        client.AddStandardResilienceHandler(o =>
        {
            o.Retry.MaxRetryAttempts = 2;
            o.Retry.Delay = TimeSpan.FromMilliseconds(200);
            o.Retry.ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome));
            o.Retry.DisableForUnsafeHttpMethods();
            o.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome));
            o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(3);
            o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
            o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
        });
        return client;
    }

    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests && HttpClientResiliencePredicates.IsTransient(outcome);
}

/// <summary>Ready when the legal texts can be read: the portal's own state, never the gateway (that would deadlock start-up).</summary>
internal sealed class LegalTextsCheck(LegalTexts texts) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var missing = LegalTexts.Names.Where(n => !File.Exists(Path.Combine(texts.Folder, n + ".txt"))).ToList();
        return Task.FromResult(missing.Count == 0
            ? HealthCheckResult.Healthy($"legal texts in {texts.Folder}")
            : HealthCheckResult.Unhealthy($"missing in {texts.Folder}: {string.Join(", ", missing.Select(n => n + ".txt"))}"));
    }
}
