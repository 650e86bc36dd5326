using EmsAchse.Gateway.Docs;
using EmsAchse.Gateway.Health;
using EmsAchse.Gateway.Limits;
using EmsAchse.Gateway.Routing;
using EmsAchse.Gateway.Security;
using EmsAchse.Platform.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.Timeouts;
using Yarp.ReverseProxy.Transforms;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("gateway");

// Limits: body size (413), per-route timeouts (YARP route "Timeout"; a default for the rest), rate limits (429).
// The body limit (RequestLimits:MaxBodyBytes) comes with the service defaults, the same for gateway and services.
// Socket transport knobs (Kestrel:Sockets) for operators tuning the hottest path; defaults are Kestrel's.
builder.WebHost.UseSockets(o => builder.Configuration.GetSection("Kestrel:Sockets").Bind(o));
builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
});
builder.Services.AddRequestTimeouts(o => o.DefaultPolicy = new RequestTimeoutPolicy
{
    Timeout = builder.Configuration.GetValue("RequestLimits:DefaultTimeout", TimeSpan.FromSeconds(30)),
    TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
});
builder.Services.AddOptions<RateLimitOptions>().Bind(builder.Configuration.GetSection(RateLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddGatewayRateLimiting();
var forwarders = TrustedForwarders.Read(builder.Configuration);
builder.Services.AddTrustedForwarders(forwarders);
builder.Services.AddSingleton<FailedAuthentications>();

// AuthN: the bearer token of the shared defaults, or an integrator's X-Api-Key; deny by default.
builder.Services.AddOptions<ApiKeyOptions>().Bind(builder.Configuration.GetSection(ApiKeyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<ApiKeyRegistry>();
builder.Services.AddSingleton<InternalTokens>();
builder.Services.AddAuthentication()
    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
    .AddPolicyScheme(GatewayAuthorization.Scheme, "Bearer token or API key", o => o.ForwardDefaultSelector = context =>
        context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header) ? ApiKeyAuthenticationHandler.SchemeName : JwtBearerDefaults.AuthenticationScheme);
builder.Services.Configure<AuthenticationOptions>(o => o.DefaultScheme = GatewayAuthorization.Scheme);
builder.Services.AddGatewayAuthorization();
builder.Services.AddPortalCors(builder.Configuration);

// Routing: YARP from the ReverseProxy section; retry of idempotent requests and dedicated instances in its pipeline.
builder.Services.AddOptions<DedicatedInstanceOptions>().Bind(builder.Configuration.GetSection(DedicatedInstanceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddReverseProxy()
    .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
    .AddTransforms(context => context.AddRequestTransform(transform =>
    {
        var http = transform.HttpContext;
        var headers = transform.ProxyRequest.Headers;
        // The services understand tokens, not keys: an API key caller goes on with a gateway-minted integrator token.
        headers.Remove(ApiKeyAuthenticationHandler.Header);
        if (InternalTokens.ApiKeyOf(http) is { } key)
        {
            headers.Authorization = new("Bearer", http.RequestServices.GetRequiredService<InternalTokens>().For(key));
        }
        // The id the gateway made (or took from the caller) goes on, so every service logs the same one.
        headers.Remove(CorrelationContext.Header);
        headers.TryAddWithoutValidation(CorrelationContext.Header, http.TraceIdentifier);
        return ValueTask.CompletedTask;
    }));

// Health: readiness reads the proxy's own destination health (no probing, no broker: the gateway never uses it);
// the operators' view shows what the proxy routes by.
builder.Services.AddHealthChecks()
    .AddCheck<ClustersReadyCheck>("services", tags: [ServiceDefaults.ReadyTag]);

// API docs: each service's OpenAPI document, fetched resiliently, side by side under /docs.
builder.Services.AddOptions<ApiDocsOptions>().Bind(builder.Configuration.GetSection(ApiDocsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<ApiDocuments>();
builder.Services.AddHttpClient(ApiDocuments.ClientName).AddStandardResilienceHandler(o =>
{
    o.Retry.MaxRetryAttempts = 2;
    o.Retry.Delay = TimeSpan.FromMilliseconds(200);
    o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(3);
    o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
});

var app = builder.Build();
if (forwarders.Count > 0)
{
    // First: everything after it (credential checks, rate limits, logs, the services) sees the visitor's address.
    app.UseForwardedHeaders();
}
app.UseMiddleware<CorrelationMiddleware>();
app.UseMiddleware<SecurityHeaders>();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<RequestSizeLimit>();
app.UseRouting();
app.UseCors();
app.UseAuthentication();
app.UseMiddleware<RejectInvalidCredentials>();
app.UseRateLimiter();
app.UseAuthorization();
app.UseRequestTimeouts();

app.MapHealthEndpoints();
app.MapServicesView().RequireAuthorization(Policies.Admin);
app.MapApiDocs();
app.MapReverseProxy(proxy =>
{
    proxy.UseMiddleware<DedicatedInstanceRouting>();
    proxy.UseMiddleware<IdempotentRetry>();
    proxy.UseSessionAffinity();
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
});
// An unknown API path stays a 404 problem+json: after the API routes (order 0-2), before the portal's catch-all (1000).
app.Map("/api/{**rest}", () => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such route.", detail: "The gateway serves /api/networks, /api/members and /api/funding."))
    .AllowAnonymous()
    .WithOrder(100);
// No route: 404 problem+json (without this the deny-by-default policy would answer 401).
app.MapFallback("{**path}", () => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such route.", detail: "The gateway serves /api/networks, /api/members, /api/funding, /docs and /health."))
    .AllowAnonymous();
app.Run();

public partial class Program;
