using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dapper;
using EmsAchse.Benchmarks;
using EmsAchse.Events.Benchmarks;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using EmsAchse.TestSupport;
using EmsAchse.TestSupport.Containers;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

// Event pipeline benchmark (tests/Benchmarks/README.md): commit-to-effect latency at paced rates, and the
// throughput of outbox -> broker -> consumer with inbox against raw RabbitMQ.Client on the same broker.
// Usage: dotnet EmsAchse.Events.Benchmarks.dll [duration s=30] [rates=200,1000] [engines=sqlite,postgres]
//        [throughput events=20000] [rounds=3] [warm-up s=3]
var duration = Arg(0, 30);
var rates = (args.Length > 1 ? args[1] : "200,1000").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();
var engines = (args.Length > 2 ? args[2] : "sqlite,postgres").Split(',', StringSplitOptions.RemoveEmptyEntries);
var events = Arg(3, 20_000);
var rounds = Arg(4, 3);
var warmUp = Arg(5, 3);
const double LatencyGoalMs = 50;
const int GoalRate = 1000;
const double ThroughputGoal = 0.5;
// A rate counts as reached when the writes kept within 3 % of their schedule.
const double RateReached = 0.97;

var rabbit = new RabbitMqServer();
var postgres = engines.Contains("postgres") ? new PostgresServer() : null;
await Task.WhenAll(rabbit.InitializeAsync(), postgres?.InitializeAsync() ?? Task.CompletedTask);
var clock = new ProbeClock();
var nextRun = 1;
var summary = new StringBuilder();
try
{
    Console.WriteLine($"Event pipeline benchmark: latency {duration} s per rate ({string.Join(", ", rates)}/s), throughput {events} events, median of {rounds} rounds; {Environment.ProcessorCount} cores, load {BenchResults.Load()}");
    summary.AppendLine(CultureInfo.InvariantCulture, $"latency, commit of the write -> commit of the consumer's effect, {duration} s per rate");
    summary.AppendLine("  engine     target/s  reached/s  effects/s   p50 ms   p99 ms   max ms  write lag p99 ms  goal p99<=50 ms at 1000/s  load after the run");
    foreach (var engine in engines)
    {
        await using var pipeline = await LatencyPipeline.StartAsync(engine, rabbit.AmqpUri, postgres, clock);
        Console.WriteLine($"[{engine}] warm-up: {warmUp} s at 200/s");
        await pipeline.RunAsync(nextRun++, 200, warmUp);
        foreach (var rate in rates)
        {
            var run = nextRun++;
            var result = await pipeline.RunAsync(run, rate, duration);
            var reached = result.ReachedRate >= RateReached * rate;
            var met = rate == GoalRate ? result.P99 <= LatencyGoalMs && reached : (bool?)null;
            var line = FormattableString.Invariant(
                $"  {engine,-9} {rate,9} {result.ReachedRate,10:F1} {result.EffectRate,10:F1} {result.P50,8:F2} {result.P99,8:F2} {result.Max,8:F2} {result.WriteLagP99,17:F2}  {(met is null ? "-" : met.Value ? "met" : "NOT met"),-8}  load {BenchResults.Load()}{(reached ? "" : "  (target rate NOT reached)")}");
            Console.WriteLine(line);
            summary.AppendLine(line);
            BenchResults.Row("events", $"{engine} latency at {rate}/s p50", result.P50, "ms", null, null, "-", null);
            BenchResults.Row("events", $"{engine} latency at {rate}/s p99", result.P99, "ms", null, null, rate == GoalRate ? "p99<=50ms at 1000/s" : "-", met);
            BenchResults.Row("events", $"{engine} writes reached at {rate}/s", result.ReachedRate, "events/s", rate, result.ReachedRate / rate, "-", null);
        }
    }

    var throughput = new Dictionary<string, List<double>> { ["raw"] = [] };
    foreach (var engine in engines)
    {
        throughput[engine] = [];
    }
    for (var round = 1; round <= rounds; round++)
    {
        // Alternate the order so drift of the machine does not favour one side.
        var order = new[] { "raw" }.Concat(engines).ToArray();
        if (round % 2 == 0)
        {
            Array.Reverse(order);
        }
        foreach (var kind in order)
        {
            var rate = kind == "raw"
                ? await RawThroughputAsync(rabbit.AmqpUri, events)
                : await PlatformThroughputAsync(kind, rabbit.AmqpUri, postgres, clock, nextRun++, events);
            throughput[kind].Add(rate);
            Console.WriteLine(FormattableString.Invariant($"round {round} {kind,-9} {rate,8:F0} msg/s (load {BenchResults.Load()})"));
        }
    }
    var raw = Median(throughput["raw"]);
    summary.AppendLine(CultureInfo.InvariantCulture, $"throughput, {events} events, median of {rounds} rounds (load {BenchResults.Load()} after the last round)");
    summary.AppendLine("  path                                              msg/s   of raw  goal >=0.5 x raw");
    summary.AppendLine(FormattableString.Invariant($"  {"raw RabbitMQ.Client, confirms (100 in flight), acks",-48} {raw,8:F0}     1.00  baseline"));
    foreach (var engine in engines)
    {
        var median = Median(throughput[engine]);
        var ratio = median / raw;
        var met = ratio >= ThroughputGoal;
        summary.AppendLine(FormattableString.Invariant($"  {$"outbox -> broker -> inbox consumer, {engine}",-48} {median,8:F0} {ratio,8:F2}  {(met ? "met" : "NOT met")}"));
        BenchResults.Row("events", $"{engine} outbox->consumer throughput (median of {rounds})", median, "events/s", raw, ratio, ">=0.5 x raw", met);
    }
    Console.WriteLine();
    Console.Write(summary);
    Console.WriteLine($"{Environment.ProcessorCount} cores, load average now: {BenchResults.Load()}");
}
finally
{
    await rabbit.DisposeAsync();
    if (postgres is not null)
    {
        await postgres.DisposeAsync();
    }
}

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

// The whole path at full speed: events committed first (no dispatcher running), then the writer's dispatcher drains
// them to the consumer, whose inbox and effect commit per message. Rate from the first effect to the last.
static async Task<double> PlatformThroughputAsync(string engine, Uri broker, PostgresServer? postgres, ProbeClock clock, int runId, int events)
{
    var (writerDb, ledgerDb) = await Databases.NewPairAsync(engine, postgres);
    var id = Guid.NewGuid().ToString("N")[..8];
    var run = clock.Start(runId, events);
    using (var writer = await PipelineHost.StartAsync(writerDb, broker, $"bench-meter-{id}", clock, dispatcher: false, consume: false))
    {
        var db = writer.Services.GetRequiredService<ServiceDatabase>();
        for (var start = 0; start < events; start += 500)
        {
            var first = start;
            await db.WriteAsync(async tx =>
            {
                for (var i = first; i < Math.Min(first + 500, events); i++)
                {
                    await Readings.RecordAsync(tx, runId, i);
                }
            });
        }
        await writer.StopAsync();
    }
    var ledgerService = $"bench-ledger-{id}";
    using var ledger = await PipelineHost.StartAsync(ledgerDb, broker, ledgerService, clock, dispatcher: true, consume: true);
    var started = Stopwatch.GetTimestamp();
    using var dispatcher = await PipelineHost.StartAsync(writerDb, broker, $"bench-meter-{id}", clock, dispatcher: true, consume: false);
    // Which side sets the pace: the outbox sent (dispatcher) or the effects committed (consumer).
    var drained = await OutboxDrainedAsync(dispatcher.Services.GetRequiredService<ServiceDatabase>(), TimeSpan.FromMinutes(5));
    await run.WaitForEffectsAsync(TimeSpan.FromMinutes(5));
    var rate = (events - 1) / Stopwatch.GetElapsedTime(run.FirstApplied, run.LastApplied).TotalSeconds;
    Console.WriteLine(FormattableString.Invariant(
        $"  {engine}: outbox sent {Stopwatch.GetElapsedTime(started, drained).TotalSeconds:F2} s after the dispatcher's start, last effect {Stopwatch.GetElapsedTime(started, run.LastApplied).TotalSeconds:F2} s"));
    await dispatcher.StopAsync();
    await Readings.CheckEffectsAsync(ledger.Services, runId, events);
    await ledger.StopAsync();
    await PipelineHost.DeleteQueueAsync(broker, ledgerService);
    return rate;
}

static async Task<long> OutboxDrainedAsync(ServiceDatabase db, TimeSpan patience)
{
    var until = Stopwatch.GetTimestamp() + (long)(patience.TotalSeconds * Stopwatch.Frequency);
    while (Stopwatch.GetTimestamp() < until)
    {
        await using (var connection = await db.OpenAsync())
        {
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL") == 0)
            {
                return Stopwatch.GetTimestamp();
            }
        }
        await Task.Delay(20);
    }
    throw new TimeoutException($"the outbox was not sent within {patience.TotalSeconds:F0} s");
}

// Baseline: raw RabbitMQ.Client 7.2 on the same broker. Persistent messages to a durable queue, publisher confirms with
// 100 publishes in flight, one consumer with manual acks (prefetch 100). Rate from the first delivery to the last ack.
static async Task<double> RawThroughputAsync(Uri broker, int events)
{
    var factory = new ConnectionFactory { Uri = broker };
    await using var consuming = await factory.CreateConnectionAsync();
    await using var publishing = await factory.CreateConnectionAsync();
    var queue = $"bench-raw-{Guid.NewGuid():N}";
    await using var consumerChannel = await consuming.CreateChannelAsync();
    await consumerChannel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
    await consumerChannel.BasicQosAsync(0, 100, false);
    var received = 0;
    long first = 0;
    long last = 0;
    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    var consumer = new AsyncEventingBasicConsumer(consumerChannel);
    // Deliveries of one channel are dispatched one at a time (dispatch concurrency 1), so the counter needs no lock.
    consumer.ReceivedAsync += async (_, delivery) =>
    {
        if (first == 0)
        {
            first = Stopwatch.GetTimestamp();
        }
        await consumerChannel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        if (++received == events)
        {
            last = Stopwatch.GetTimestamp();
            done.TrySetResult();
        }
    };
    await consumerChannel.BasicConsumeAsync(queue, autoAck: false, consumer);

    // The client's own limiter stays above our 100 in flight, so it never throttles.
    await using var publisher = await publishing.CreateChannelAsync(new CreateChannelOptions(
        publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true, outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(1000)));
    var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
    using var inFlight = new SemaphoreSlim(100);
    var publishes = new List<Task>(events);
    for (var i = 0; i < events; i++)
    {
        await inFlight.WaitAsync();
        publishes.Add(PublishAsync(i));
    }
    await Task.WhenAll(publishes);
    await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
    await consumerChannel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
    return (events - 1) / Stopwatch.GetElapsedTime(first, last).TotalSeconds;

    async Task PublishAsync(int sequence)
    {
        try
        {
            // Returns once the broker confirmed it (confirmation tracking), throws on a nack.
            var body = Encoding.UTF8.GetBytes(FormattableString.Invariant($$"""{"run":0,"sequence":{{sequence}}}"""));
            await publisher.BasicPublishAsync("", queue, mandatory: true, properties, body);
        }
        finally
        {
            inFlight.Release();
        }
    }
}

/// <summary>The figures of one paced run, in milliseconds where not a rate.</summary>
internal sealed record LatencyResult(double P50, double P99, double Max, double WriteLagP99, double ReachedRate, double EffectRate);

/// <summary>
/// A writer service (its dispatcher running) and a consumer service on one engine, each with its own database, kept for
/// the warm-up and every rate so that each run measures a warm pipeline.
/// </summary>
internal sealed class LatencyPipeline(IHost writer, IHost ledger, string ledgerService, Uri broker, ProbeClock clock) : IAsyncDisposable
{
    public static async Task<LatencyPipeline> StartAsync(string engine, Uri broker, PostgresServer? postgres, ProbeClock clock)
    {
        var (writerDb, ledgerDb) = await Databases.NewPairAsync(engine, postgres);
        var id = Guid.NewGuid().ToString("N")[..8];
        var ledgerService = $"bench-ledger-{id}";
        // The consumer's queue and binding exist before the first event is published.
        var ledger = await PipelineHost.StartAsync(ledgerDb, broker, ledgerService, clock, dispatcher: true, consume: true);
        var writer = await PipelineHost.StartAsync(writerDb, broker, $"bench-meter-{id}", clock, dispatcher: true, consume: false);
        return new LatencyPipeline(writer, ledger, ledgerService, broker, clock);
    }

    /// <summary>
    /// Open loop: write i is due at start + i / rate and is started then, whether or not earlier writes have finished;
    /// a pacer thread only hands the writes to the thread pool.
    /// </summary>
    public async Task<LatencyResult> RunAsync(int runId, int rate, int seconds)
    {
        var run = clock.Start(runId, rate * seconds);
        var db = writer.Services.GetRequiredService<ServiceDatabase>();
        var writes = new Task[run.Events];
        var paced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = Stopwatch.GetTimestamp();
        var pacer = new Thread(() =>
        {
            var i = 0;
            while (i < run.Events)
            {
                var due = start + (long)((double)i * Stopwatch.Frequency / rate);
                if (Stopwatch.GetTimestamp() < due)
                {
                    Thread.Sleep(1);
                    continue;
                }
                run.Due(i, due);
                var sequence = i;
                writes[i] = Task.Run(() => WriteAsync(db, run, sequence));
                i++;
            }
            paced.SetResult();
        })
        { IsBackground = true, Name = "pacer" };
        pacer.Start();
        await paced.Task;
        await Task.WhenAll(writes);
        await run.WaitForEffectsAsync(TimeSpan.FromMinutes(2));
        await Readings.CheckEffectsAsync(ledger.Services, runId, run.Events);

        var latencies = new double[run.Events];
        var lags = new double[run.Events];
        long lastCommit = 0;
        for (var i = 0; i < run.Events; i++)
        {
            latencies[i] = Stopwatch.GetElapsedTime(run.CommittedAt(i), run.AppliedAt(i)).TotalMilliseconds;
            lags[i] = Stopwatch.GetElapsedTime(run.DueAt(i), run.CommittedAt(i)).TotalMilliseconds;
            lastCommit = Math.Max(lastCommit, run.CommittedAt(i));
        }
        Array.Sort(latencies);
        Array.Sort(lags);
        return new LatencyResult(
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1], Percentile(lags, 0.99),
            run.Events / Stopwatch.GetElapsedTime(start, lastCommit).TotalSeconds,
            run.Events / Stopwatch.GetElapsedTime(start, run.LastApplied).TotalSeconds);
    }

    public async ValueTask DisposeAsync()
    {
        await writer.StopAsync();
        await ledger.StopAsync();
        writer.Dispose();
        ledger.Dispose();
        await PipelineHost.DeleteQueueAsync(broker, ledgerService);
    }

    // A service-style write: the writer's own row and its event, one transaction; the clock right after the commit.
    private static async Task WriteAsync(ServiceDatabase db, ProbeRun run, int sequence)
    {
        await db.WriteAsync(tx => Readings.RecordAsync(tx, run.Id, sequence));
        run.Committed(sequence, Stopwatch.GetTimestamp());
    }

    // Nearest rank.
    private static double Percentile(double[] sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

internal static class Readings
{
    // Events of one meter keep their order through the outbox; 200 meters spread the load as many aggregates do.
    private const int Meters = 200;

    public static async Task RecordAsync(WriteTransaction tx, int run, int sequence)
    {
        const string sql = """
            INSERT INTO bench_readings (run, sequence, recorded_at) VALUES (@run, @sequence, @recordedAt)
            """;
        await tx.ExecuteAsync(sql, new { run, sequence, recordedAt = tx.Now });
        await tx.PublishAsync($"meter/{sequence % Meters}", new ReadingRecorded(run, sequence));
    }

    /// <summary>The effects are rows in the consumer's database, not only calls: every one of the run must be there.</summary>
    public static async Task CheckEffectsAsync(IServiceProvider services, int run, int events)
    {
        await using var connection = await services.GetRequiredService<ServiceDatabase>().OpenAsync();
        const string sql = "SELECT COUNT(*) FROM bench_effects WHERE run = @run";
        var rows = await connection.ExecuteScalarAsync<long>(sql, new { run });
        if (rows != events)
        {
            throw new InvalidOperationException($"run {run}: {rows} effect rows in the consumer's database, expected {events}");
        }
    }
}

internal static class Databases
{
    public static async Task<(string Writer, string Ledger)> NewPairAsync(string engine, PostgresServer? postgres) => engine switch
    {
        "sqlite" => (SqliteFiles.NewDatabase("bench-meter"), SqliteFiles.NewDatabase("bench-ledger")),
        "postgres" when postgres is not null => (await postgres.CreateDatabaseAsync("bench_meter"), await postgres.CreateDatabaseAsync("bench_ledger")),
        _ => throw new ArgumentException($"unknown engine {engine} (sqlite, postgres)", nameof(engine)),
    };
}

internal static class PipelineHost
{
    /// <summary>A service host as the platform's services build it: its database, messaging, and (unless told) the dispatcher.</summary>
    public static async Task<IHost> StartAsync(string connectionString, Uri broker, string service, ProbeClock clock, bool dispatcher, bool consume)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = connectionString,
            ["RabbitMq:Uri"] = broker.ToString(),
        });
        // Settings to try without a rebuild, e.g. EMSACHSE_BENCH_Outbox__PublishConcurrency=128.
        builder.Configuration.AddEnvironmentVariables("EMSACHSE_BENCH_");
        builder.Services.AddLogging();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton(new ServiceIdentity(service));
        builder.Services.AddScoped<ReadingLedgerConsumer>();
        builder.AddServiceDatabase(typeof(ProbeClock).Assembly)
            .AddMessaging(service, x =>
            {
                if (consume)
                {
                    x.Add<TimedReadingConsumer>("readings");
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

    // Each run's queue is bound to the event's exchange; left behind, every later publish would fan out to it too.
    public static async Task DeleteQueueAsync(Uri broker, string service)
    {
        var queue = $"{service}-readings";
        await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        await channel.ExchangeDeleteAsync(queue, ifUnused: false);
    }
}
