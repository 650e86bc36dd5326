using System.ComponentModel.DataAnnotations;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmsAchse.Platform.Messaging;

public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    [Required]
    public Uri? Uri { get; set; }

    /// <summary>Immediate retries inside the consumer, with exponential back-off, before the error queue.</summary>
    [Range(0, 20)]
    public int RetryLimit { get; set; } = 5;

    /// <summary>Only where the broker has the delayed-message exchange plugin (Debian's 3.10 has not).</summary>
    public bool DelayedRedelivery { get; set; }

    [Range(1, 1000)]
    public int PrefetchCount { get; set; } = 32;
}

public static class MessagingSetup
{
    public const string CorrelationHeader = CorrelationContext.Header;

    /// <summary>
    /// MassTransit on RabbitMQ. Each consumer's queue is named "{service}-{name}" with a name chosen at registration
    /// (<see cref="ServiceConsumers.Add{TConsumer}"/>), so two services consuming one event each get every message,
    /// instances of one service compete on one queue, and renaming a class changes neither the queue nor the inbox.
    /// The outbox dispatcher and the inbox come with it. It extends <see cref="ServiceDatabaseBuilder"/> because the
    /// bus must not consume before the database is migrated: hosted services start in registration order.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(this ServiceDatabaseBuilder database, string serviceName, Action<ServiceConsumers>? configureConsumers = null)
    {
        var builder = database.Host;
        builder.Services.AddSingleton<Inbox>();
        builder.Services.AddOptions<OutboxOptions>().Bind(builder.Configuration.GetSection(OutboxOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<OutboxDispatcher>();
        builder.Services.AddSingleton<IEndpointContributor, MessagingOperationsApi>();
        builder.Services.AddOptions<RabbitMqOptions>()
            .Bind(builder.Configuration.GetSection(RabbitMqOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var queues = new ServiceQueues();
        builder.Services.AddSingleton(queues);
        var retired = new RetiredQueueNames();
        builder.Services.AddSingleton(retired);
        builder.Services.AddHostedService<RetiredQueues>();
        builder.Services.AddSingleton<FailedMessages>();
        builder.Services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, false));
            configureConsumers?.Invoke(new ServiceConsumers(serviceName, x, queues, retired));
            x.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                if (options.DelayedRedelivery)
                {
                    endpoint.UseDelayedRedelivery(r => r.Intervals(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)));
                }
                endpoint.UseMessageRetry(r => r.Exponential(options.RetryLimit, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200)));
            });
            x.UsingRabbitMq((context, cfg) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                if (options.Uri is not null)
                {
                    cfg.Host(options.Uri);
                }
                cfg.PrefetchCount = options.PrefetchCount;
                cfg.UseConsumeFilter(typeof(CorrelationConsumeFilter<>), context);
                cfg.ConfigureEndpoints(context);
            });
        });
        // MassTransit registers its bus health check; it counts towards readiness.
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
        return builder;
    }
}

/// <summary>The consumers of one service, each on a queue whose name is chosen here rather than derived from its class.</summary>
public sealed class ServiceConsumers
{
    private readonly string _serviceName;
    private readonly IBusRegistrationConfigurator _bus;
    private readonly ServiceQueues _queues;
    private readonly RetiredQueueNames _retired;

    internal ServiceConsumers(string serviceName, IBusRegistrationConfigurator bus, ServiceQueues queues, RetiredQueueNames retired)
    {
        _serviceName = serviceName;
        _bus = bus;
        _queues = queues;
        _retired = retired;
    }

    /// <summary>Registers <typeparamref name="TConsumer"/> on the queue "{service}-{name}"; the name is also its inbox key.</summary>
    public ServiceConsumers Add<TConsumer>(string name)
        where TConsumer : class, IConsumer
    {
        var queue = QueueName(name);
        _bus.AddConsumer<TConsumer>().Endpoint(e => e.Name = queue);
        _queues.Add(queue);
        return this;
    }

    /// <summary>
    /// Names queues "{service}-{name}" this service consumed from in an earlier version: they are removed at start
    /// (<see cref="RetiredQueues"/>), and the re-sync refills what they held.
    /// </summary>
    public ServiceConsumers Retire(params string[] names)
    {
        foreach (var name in names)
        {
            _retired.Add(QueueName(name));
        }
        return this;
    }

    private string QueueName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            throw new ArgumentException($"A queue name is lower-case letters, digits and '-', not '{name}'.", nameof(name));
        }
        return $"{_serviceName}-{name}";
    }
}

/// <summary>Carries the correlation id of a consumed message into the ambient context and log scope.</summary>
public sealed class CorrelationConsumeFilter<T>(ILogger<CorrelationConsumeFilter<T>> logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var id = context.Headers.Get<string>(CorrelationContext.Header);
        CorrelationContext.Current = CorrelationContext.IsAcceptable(id) ? id : context.MessageId?.ToString("N");
        using (logger.BeginScope(new Dictionary<string, object?> { ["CorrelationId"] = CorrelationContext.Current, ["MessageId"] = context.MessageId }))
        {
            await next.Send(context);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("correlation");
}
