using Dapper;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace EmsAchse.Platform.Tests;

[Collection(PlatformCollection.Name)]
public sealed class OutboxTests(PlatformServers servers)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task an_event_in_a_rolled_back_transaction_is_never_published(DatabaseEngine engine)
    {
        var service = $"rollback-{engine}".ToLowerInvariant();
        var deliveries = new Deliveries();
        // One message at a time: the queue's order is the order of receipt.
        var host = await TestHost.StartAsync(await servers.NewDatabaseAsync(engine), servers.RabbitMq.AmqpUri, service, x => x.Add<RecordingConsumer>("recording"), deliveries: deliveries, prefetch: 1);
        var db = host.Services.GetRequiredService<ServiceDatabase>();
        var aggregate = Guid.NewGuid().ToString();

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.WriteAsync(async tx =>
        {
            await tx.ExecuteAsync("INSERT INTO probe_writes (id, note) VALUES (@id, 'rolled back')", new { id = Guid.NewGuid() });
            await tx.PublishAsync(aggregate, new ProbeHappened(aggregate, 1, "rolled back"));
            throw new InvalidOperationException("the change fails after the event was written");
        }));
        // A later committed event of the same aggregate is the marker: an aggregate's events leave in order, so had
        // the rolled-back one been written, it would have arrived before it.
        await db.WriteAsync(tx => tx.PublishAsync(aggregate, new ProbeHappened(aggregate, 2, "committed")));
        await deliveries.WaitForAsync(1, Patience);

        var received = deliveries.Received.Where(d => d.Message.AggregateId == aggregate).Select(d => d.Message.Note).ToList();
        Assert.Equal(["committed"], received);
        await using var connection = await db.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM probe_writes"));
        await host.ShutdownAsync();
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_committed_event_is_published_after_the_process_died_before_publishing(DatabaseEngine engine)
    {
        var connectionString = await servers.NewDatabaseAsync(engine);
        var service = $"restart-{engine}".ToLowerInvariant();
        var aggregate = Guid.NewGuid().ToString();

        // The first process commits its events but never gets to publish them (no dispatcher runs).
        var crashed = await TestHost.StartAsync(connectionString, servers.RabbitMq.AmqpUri, $"{service}-writer", dispatcher: false);
        var crashedDb = crashed.Services.GetRequiredService<ServiceDatabase>();
        for (var i = 1; i <= 3; i++)
        {
            var sequence = i;
            await crashedDb.WriteAsync(tx => tx.PublishAsync(aggregate, new ProbeHappened(aggregate, sequence, "before crash")));
        }
        await crashed.ShutdownAsync();

        // A restarted process on the same database finds and publishes them, in order.
        var deliveries = new Deliveries();
        var restarted = await TestHost.StartAsync(connectionString, servers.RabbitMq.AmqpUri, service, x => x.Add<RecordingConsumer>("recording"), deliveries: deliveries, prefetch: 1);
        await deliveries.WaitForAsync(3, Patience);

        Assert.Equal([1, 2, 3], deliveries.Received.Select(d => d.Message.Sequence));
        await using var connection = await restarted.Services.GetRequiredService<ServiceDatabase>().OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL"));
        await restarted.ShutdownAsync();
    }

    [Fact]
    public async Task several_dispatchers_on_one_postgres_database_send_each_event_once_in_aggregate_order()
    {
        const int aggregates = 25;
        const int perAggregate = 24;
        var connectionString = await servers.NewDatabaseAsync(DatabaseEngine.Postgres);
        var writer = await TestHost.StartAsync(connectionString, servers.RabbitMq.AmqpUri, "multi-writer", dispatcher: false);
        var db = writer.Services.GetRequiredService<ServiceDatabase>();
        var ids = Enumerable.Range(0, aggregates).Select(_ => Guid.NewGuid().ToString()).ToList();
        // Interleave aggregates so that every batch holds several of each.
        for (var sequence = 1; sequence <= perAggregate; sequence++)
        {
            var s = sequence;
            await db.WriteAsync(async tx =>
            {
                foreach (var id in ids)
                {
                    await tx.PublishAsync(id, new ProbeHappened(id, s, "multi"));
                }
            });
        }

        var deliveries = new Deliveries();
        var consumer = await TestHost.StartAsync(await servers.NewDatabaseAsync(DatabaseEngine.Sqlite), servers.RabbitMq.AmqpUri, "multi-reader", x => x.Add<RecordingConsumer>("recording"), deliveries: deliveries, prefetch: 1);
        var dispatchers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => TestHost.StartAsync(connectionString, servers.RabbitMq.AmqpUri, "multi-writer")));
        await deliveries.WaitForAsync(aggregates * perAggregate, TimeSpan.FromSeconds(90));
        // A marker written after every event: the consumer takes one message at a time in queue order, so a second
        // copy of any earlier event sent before the marker arrives before it.
        var marker = Guid.NewGuid().ToString();
        await db.WriteAsync(tx => tx.PublishAsync(marker, new ProbeHappened(marker, 1, "marker")));
        await deliveries.WaitForAsync(aggregates * perAggregate + 1, TimeSpan.FromSeconds(90));

        var received = deliveries.Received.Where(r => r.Message.AggregateId != marker).ToList();
        Assert.Contains(deliveries.Received, r => r.Message.AggregateId == marker);
        Assert.Equal(aggregates * perAggregate, received.Count);
        Assert.Equal(received.Count, received.Select(r => r.MessageId).Distinct().Count());
        foreach (var group in received.GroupBy(r => r.Message.AggregateId))
        {
            Assert.Equal(Enumerable.Range(1, perAggregate), group.Select(r => r.Message.Sequence));
        }
        foreach (var host in dispatchers.Append(consumer).Append(writer))
        {
            await host.ShutdownAsync();
        }
    }

    [Theory]
    [InlineData(nameof(OutboxOptions.BatchSize))]
    [InlineData(nameof(OutboxOptions.PublishConcurrency))]
    public async Task a_service_with_an_impossible_outbox_setting_does_not_start(string setting)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(
            TestSupport.SqliteFiles.NewDatabase("outbox-options"), servers.RabbitMq.AmqpUri, "outbox-options",
            services: s => s.Configure<OutboxOptions>(o =>
            {
                if (setting == nameof(OutboxOptions.BatchSize))
                {
                    o.BatchSize = 0;
                }
                else
                {
                    o.PublishConcurrency = 0;
                }
            })));

        Assert.Contains(setting, failure.Message, StringComparison.Ordinal);
    }
}

[Collection(PlatformCollection.Name)]
public sealed class OutboxRedactionTests(PlatformServers servers)
{
    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task redaction_nulls_the_named_properties_of_unsent_events_of_the_given_aggregates_only(DatabaseEngine engine)
    {
        var host = await TestHost.StartAsync(await servers.NewDatabaseAsync(engine), servers.RabbitMq.AmqpUri, $"redact-{engine}".ToLowerInvariant(), dispatcher: false);
        var db = host.Services.GetRequiredService<ServiceDatabase>();
        var erased = Guid.NewGuid().ToString();
        var kept = Guid.NewGuid().ToString();
        await db.WriteAsync(async tx =>
        {
            await tx.PublishAsync(erased, new ProbeHappened(erased, 1, "Frau Quasthoff rief an"));
            await tx.PublishAsync(erased, new ProbeHappened(erased, 2, "noch einmal Quasthoff"));
            await tx.PublishAsync(kept, new ProbeHappened(kept, 1, "Herr Ostendorp"));
        });

        var changed = await db.WriteAsync(tx => OutboxRedaction.RedactAsync(tx, [erased], ["note"]));
        var again = await db.WriteAsync(tx => OutboxRedaction.RedactAsync(tx, [erased], ["note"]));

        await using var connection = await db.OpenAsync();
        var rows = (await connection.QueryAsync<(string AggregateId, string Body)>("SELECT aggregate_id, body FROM outbox_messages ORDER BY id")).ToList();
        Assert.Equal(2, changed);
        Assert.Equal(0, again);
        Assert.Equal(3, rows.Count);
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL"));
        foreach (var row in rows.Where(r => r.AggregateId == erased))
        {
            var body = System.Text.Json.JsonDocument.Parse(row.Body).RootElement;
            Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("note").ValueKind);
            Assert.Equal(erased, body.GetProperty("aggregateId").GetString());
        }
        Assert.Contains("Herr Ostendorp", rows.Single(r => r.AggregateId == kept).Body, StringComparison.Ordinal);
        await host.ShutdownAsync();
    }
}
