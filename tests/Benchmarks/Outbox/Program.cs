using EmsAchse.Platform.Hosting;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using EmsAchse.TestSupport;
using EmsAchse.TestSupport.Containers;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using EmsAchse.Outbox.Benchmarks;
using EmsAchse.Benchmarks;

// Event pipeline benchmark: how fast the outbox dispatcher drains committed events to a consumer,
// against the baseline of publishing the same events straight to the bus in the same run.
// Usage: source /tmp/testenv.sh (or set EMSACHSE_TEST_RABBITMQ / EMSACHSE_TEST_POSTGRES);
//        dotnet run -c Release --project tests/Benchmarks/Outbox -- [events=20000] [rounds=3]
var events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
const int Aggregates = 200;

var rabbit = new RabbitMqServer();
var postgres = new PostgresServer();
await Task.WhenAll(rabbit.InitializeAsync(), postgres.InitializeAsync());
try
{
    var results = new Dictionary<string, List<double>> { ["direct"] = [], ["outbox-sqlite"] = [], ["outbox-postgres"] = [] };
    for (var round = 1; round <= rounds; round++)
    {
        // Alternate the order so drift of the machine does not favour one side.
        var order = round % 2 == 1 ? new[] { "direct", "outbox-sqlite", "outbox-postgres" } : ["outbox-postgres", "outbox-sqlite", "direct"];
        foreach (var kind in order)
        {
            var rate = kind switch
            {
                "direct" => await DirectAsync(rabbit.AmqpUri, events),
                "outbox-sqlite" => await OutboxAsync(SqliteFiles.NewDatabase("bench"), rabbit.AmqpUri, events),
                _ => await OutboxAsync(await postgres.CreateDatabaseAsync("bench"), rabbit.AmqpUri, events),
            };
            results[kind].Add(rate);
            Console.WriteLine(FormattableString.Invariant($"round {round} {kind,-16} {rate,10:F0} events/s"));
        }
    }
    var direct = Median(results["direct"]);
    Console.WriteLine();
    Console.WriteLine(FormattableString.Invariant($"median direct publish        {direct,10:F0} events/s (baseline)"));
    foreach (var kind in new[] { "outbox-sqlite", "outbox-postgres" })
    {
        var median = Median(results[kind]);
        Console.WriteLine(FormattableString.Invariant($"median {kind,-21} {median,10:F0} events/s  ratio {median / direct:F2} of direct"));
        BenchResults.Row("outbox", $"{kind} drain (median of {rounds})", median, "events/s", direct, median / direct, "-", null);
    }
    Console.WriteLine($"load average: {BenchResults.Load()}");
}
finally
{
    await rabbit.DisposeAsync();
    await postgres.DisposeAsync();
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

// Baseline: the same events published straight to the bus, 32 streams as the dispatcher uses.
static async Task<double> DirectAsync(Uri broker, int events)
{
    var counter = new Counter();
    using var host = await StartAsync(SqliteFiles.NewDatabase("bench-direct"), broker, $"bench-direct-{Guid.NewGuid():N}", counter, dispatcher: false);
    var bus = host.Services.GetRequiredService<IBus>();
    var watch = Stopwatch.StartNew();
    await Parallel.ForEachAsync(Enumerable.Range(0, events), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        await bus.Publish(new BenchEventHappened(i % Aggregates, i), ct));
    await counter.WaitForAsync(events);
    var rate = events / watch.Elapsed.TotalSeconds;
    await host.StopAsync();
    await DeleteQueueAsync(broker, host.Services);
    return rate;
}

// Outbox: events committed first (no dispatcher running), then one dispatcher drains them to the consumer.
static async Task<double> OutboxAsync(string connectionString, Uri broker, int events)
{
    var service = $"bench-outbox-{Guid.NewGuid():N}";
    using (var writer = await StartAsync(connectionString, broker, $"{service}-writer", new Counter(), dispatcher: false))
    {
        var db = writer.Services.GetRequiredService<ServiceDatabase>();
        for (var start = 0; start < events; start += 500)
        {
            var first = start;
            await db.WriteAsync(async tx =>
            {
                for (var i = first; i < Math.Min(first + 500, events); i++)
                {
                    await tx.PublishAsync($"bench/{i % Aggregates}", new BenchEventHappened(i % Aggregates, i));
                }
            });
        }
        await writer.StopAsync();
    }
    var counter = new Counter();
    // The consumer's queue must exist before the dispatcher starts, so it runs in its own host.
    using var consumer = await StartAsync(SqliteFiles.NewDatabase("bench-consumer"), broker, service, counter, dispatcher: false);
    var watch = Stopwatch.StartNew();
    using var dispatcher = await StartAsync(connectionString, broker, $"{service}-dispatcher", new Counter(), dispatcher: true, consume: false);
    await counter.WaitForAsync(events);
    var rate = events / watch.Elapsed.TotalSeconds;
    await dispatcher.StopAsync();
    await consumer.StopAsync();
    await DeleteQueueAsync(broker, consumer.Services);
    return rate;
}

// Each measurement's queue is bound to the event's exchange; left behind, it would make every later
// publish fan out to one more queue and slow the later rounds down.
static async Task DeleteQueueAsync(Uri broker, IServiceProvider services)
{
    var queue = services.GetRequiredService<IEndpointNameFormatter>().Consumer<BenchConsumer>();
    await using var connection = await new RabbitMQ.Client.ConnectionFactory { Uri = broker }.CreateConnectionAsync();
    await using var channel = await connection.CreateChannelAsync();
    await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
    await channel.ExchangeDeleteAsync(queue, ifUnused: false);
}

static async Task<IHost> StartAsync(string connectionString, Uri broker, string service, Counter counter, bool dispatcher, bool consume = true)
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Database"] = connectionString,
        ["RabbitMq:Uri"] = broker.ToString(),
        ["Outbox:BatchSize"] = "500",
    });
    builder.Services.AddLogging();
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddSingleton(counter);
    builder.Services.AddSingleton(new ServiceIdentity(service));
    builder.AddServiceDatabase(typeof(Counter).Assembly)
        .AddMessaging(service, x =>
    {
        if (consume)
        {
            x.Add<BenchConsumer>("bench");
        }
    });
    builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
    if (!dispatcher)
    {
        builder.Services.Remove(builder.Services.Single(d => d.ImplementationType == typeof(OutboxDispatcher)));
    }
    var host = builder.Build();
    await host.StartAsync();
    return host;
}
