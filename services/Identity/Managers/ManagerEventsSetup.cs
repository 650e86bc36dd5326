using EmsAchse.Contracts.Networks;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Reference;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EmsAchse.Identity.Managers;

/// <summary>
/// MassTransit on RabbitMQ for the manager events only. Identity keeps its state in EF Core, so instead of the
/// platform's Dapper inbox it has an EF one beside the version rule (<see cref="ManagerRights"/>); both events share
/// the queue "identity-managers" (the inbox's consumer key), consumed one at a time per instance.
/// </summary>
public static partial class ManagerEventsSetup
{
    public const string Queue = "identity-managers";

    public static void AddManagerEvents(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RabbitMqOptions>()
            .Bind(builder.Configuration.GetSection(RabbitMqOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddScoped<ManagerRights>();
        // The messaging admin (/identity/api/admin/messaging) inspects and re-drives this one queue.
        builder.Services.AddSingleton(new ServiceQueues(Queue));
        builder.Services.AddSingleton<FailedMessages>();
        builder.Services.AddMassTransit(x =>
        {
            x.AddConsumer<ManagerAppointedConsumer>().Endpoint(e =>
            {
                e.Name = Queue;
                e.ConcurrentMessageLimit = 1;
            });
            x.AddConsumer<ManagerRemovedConsumer>().Endpoint(e =>
            {
                e.Name = Queue;
                e.ConcurrentMessageLimit = 1;
            });
            x.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                endpoint.UseMessageRetry(r => r.Exponential(options.RetryLimit, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200)));
            });
            x.UsingRabbitMq((context, cfg) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                cfg.Host(options.Uri);
                cfg.PrefetchCount = options.PrefetchCount;
                cfg.ConfigureEndpoints(context);
            });
        });
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(20);
        });
        builder.Services.PostConfigure<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckServiceOptions>(o =>
        {
            foreach (var registration in o.Registrations.Where(r => r.Name.StartsWith("masstransit", StringComparison.OrdinalIgnoreCase)))
            {
                registration.Tags.Add(ServiceDefaults.ReadyTag);
            }
        });
        builder.Services.AddHostedService<ManagerResyncOnStart>();
    }

    /// <summary>Development with Seed:Demo=true: the demo managers' sign-ins, for <c>deploy/run.sh demo-users</c>.</summary>
    public static async Task WriteDemoUsersAsync(IdentityServiceOptions settings, IHostEnvironment environment, IConfiguration configuration)
    {
        if (!environment.IsDevelopment() || !configuration.GetValue<bool>("Seed:Demo"))
        {
            return;
        }
        var file = Path.GetFullPath(settings.DemoUsersFile ?? Path.Combine(environment.ContentRootPath, ".data", "identity-demo-users.txt"));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var lines = DemoCatalogue.Managers.Select(m => $"{m.Email} / {ManagerRights.DemoPassword}   (manages {m.NetworkSlug})");
        await File.WriteAllLinesAsync(file, lines);
    }
}

/// <summary>
/// At every start, once the bus is healthy (so identity's queue is bound and receives the answer), asks the networks
/// service for every manager; the versions make the replay harmless and repair a missed removal.
/// </summary>
public sealed partial class ManagerResyncOnStart(IBusControl bus, ServiceIdentity service, TimeProvider time, ILogger<ManagerResyncOnStart> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            patience.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                if (await bus.WaitForHealthStatus(BusHealthStatus.Healthy, patience.Token) == BusHealthStatus.Healthy)
                {
                    await bus.Publish(new ManagerResyncRequested(service.Name, time.GetUtcNow()), patience.Token);
                    return;
                }
            }
            catch (OperationCanceledException) when (patience.IsCancellationRequested)
            {
                // Stopping, or half a minute without a healthy bus or a confirmed publish.
            }
            if (!stoppingToken.IsCancellationRequested)
            {
                LogWaiting(logger);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for a healthy bus to ask the networks service for its managers")]
    private static partial void LogWaiting(ILogger logger);
}
