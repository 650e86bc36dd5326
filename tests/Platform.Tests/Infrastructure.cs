using EmsAchse.Platform.Hosting;
using System.Collections.Concurrent;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using EmsAchse.TestSupport;
using EmsAchse.TestSupport.Containers;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace EmsAchse.Platform.Tests;

/// <summary>One broker and one PostgreSQL server for the whole collection; a fresh database per test.</summary>
public sealed class PlatformServers : IAsyncLifetime
{
    public RabbitMqServer RabbitMq { get; } = new();
    public PostgresServer Postgres { get; } = new();

    public Task InitializeAsync() => Task.WhenAll(RabbitMq.InitializeAsync(), Postgres.InitializeAsync());

    public async Task DisposeAsync()
    {
        await RabbitMq.DisposeAsync();
        await Postgres.DisposeAsync();
    }

    public async Task<string> NewDatabaseAsync(DatabaseEngine engine) =>
        engine == DatabaseEngine.Postgres ? await Postgres.CreateDatabaseAsync("platform") : SqliteFiles.NewDatabase("platform");
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformServers>
{
    public const string Name = "platform";
}

/// <summary>An integration event used only by these tests.</summary>
public sealed record ProbeHappened(string AggregateId, int Sequence, string Note);

/// <summary>Remembers every delivery, duplicates included, per host.</summary>
public sealed class Deliveries
{
    public ConcurrentQueue<(Guid MessageId, ProbeHappened Message)> Received { get; } = new();

    public async Task WaitForAsync(int count, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (Received.Count < count && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }
    }
}

public sealed class RecordingConsumer(Deliveries deliveries) : IConsumer<ProbeHappened>
{
    public Task Consume(ConsumeContext<ProbeHappened> context)
    {
        deliveries.Received.Enqueue((context.MessageId!.Value, context.Message));
        return Task.CompletedTask;
    }
}

/// <summary>Applies each probe once through the inbox: one row in probe_effects per message id.</summary>
public sealed class ProbeEffectConsumer(Inbox inbox, Deliveries deliveries) : IdempotentConsumer<ProbeHappened>(inbox)
{
    protected override async Task ApplyAsync(ProbeHappened message, WriteTransaction tx)
    {
        await tx.ExecuteAsync(
            "INSERT INTO probe_effects (message_id, aggregate_id, sequence) VALUES (@id, @AggregateId, @Sequence)",
            new { id = Guid.NewGuid(), message.AggregateId, message.Sequence });
        deliveries.Received.Enqueue((Guid.Empty, message));
    }
}

/// <summary>A real service host (database, outbox, inbox, MassTransit on the real broker) without HTTP.</summary>
public static class TestHost
{
    public static async Task<IHost> StartAsync(
        string connectionString,
        Uri broker,
        string serviceName,
        Action<ServiceConsumers>? consumers = null,
        bool dispatcher = true,
        Deliveries? deliveries = null,
        int prefetch = 32,
        Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = connectionString,
            ["RabbitMq:Uri"] = broker.ToString(),
            ["RabbitMq:RetryLimit"] = "1",
            ["Outbox:PollInterval"] = "00:00:00.500",
            ["RabbitMq:PrefetchCount"] = prefetch.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(deliveries ?? new Deliveries());
        builder.Services.AddSingleton(new ServiceIdentity(serviceName));
        builder.AddServiceDatabase(typeof(TestHost).Assembly)
            .AddMessaging(serviceName, consumers);
        services?.Invoke(builder.Services);
        // Tests publish right after start: the queues must exist by then.
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        if (!dispatcher)
        {
            var registration = builder.Services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(OutboxDispatcher));
            builder.Services.Remove(registration);
        }
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static async Task ShutdownAsync(this IHost host)
    {
        await host.StopAsync(TimeSpan.FromSeconds(20));
        host.Dispose();
    }
}
