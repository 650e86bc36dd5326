using EmsAchse.Gateway.Health;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("gateway");
builder.Services.AddOptions<RabbitMqOptions>()
    .Bind(builder.Configuration.GetSection(RabbitMqOptions.Section))
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
builder.Services.AddHttpClient(ClustersReadyCheck.ClientName, c => c.Timeout = TimeSpan.FromSeconds(3))
    .AddStandardResilienceHandler(o =>
    {
        // One quick retry: readiness must answer within the caller's patience.
        o.Retry.MaxRetryAttempts = 1;
        o.Retry.Delay = TimeSpan.FromMilliseconds(100);
        o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(2);
        o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
        o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(5);
    });
builder.Services.AddHealthChecks()
    .AddCheck<ClustersReadyCheck>("services", tags: [ServiceDefaults.ReadyTag])
    .AddCheck<BrokerReachableCheck>("broker", tags: [ServiceDefaults.ReadyTag]);

var app = builder.Build();
app.UseServiceDefaults();
// The services authorise every call themselves; the gateway passes the caller's token on unchanged.
app.MapReverseProxy();
app.Run();

public partial class Program;
