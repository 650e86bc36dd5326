using Dapper;
using EmsAchse.Platform.Persistence;
using EmsAchse.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EmsAchse.Platform.Tests;

[Collection(PlatformCollection.Name)]
public sealed class InboxAndQueueTests(PlatformServers servers)
{
    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_message_delivered_twice_has_one_effect(DatabaseEngine engine)
    {
        var deliveries = new Deliveries();
        // One message at a time, in queue order: once the third message's effect is committed, both copies of the
        // first have been handled, so the counts below are final without waiting a fixed time.
        var host = await TestHost.StartAsync(await servers.NewDatabaseAsync(engine), servers.RabbitMq.AmqpUri, $"inbox-{engine}".ToLowerInvariant(), x => x.Add<ProbeEffectConsumer>("probe-effect"), deliveries: deliveries, prefetch: 1);
        var bus = host.Services.GetRequiredService<IBus>();
        var messageId = NewId.NextGuid();
        var message = new ProbeHappened("inbox", 1, "twice");

        // The broker redelivering a message looks like this: the same message id arrives again.
        await bus.Publish(message, c => c.MessageId = messageId);
        await bus.Publish(message, c => c.MessageId = messageId);
        await bus.Publish(message with { Sequence = 2 }, c => c.MessageId = NewId.NextGuid());

        await using var connection = await host.Services.GetRequiredService<ServiceDatabase>().OpenAsync();
        await Eventually.SucceedsAsync(async () =>
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM probe_effects WHERE sequence = 2")));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM probe_effects WHERE sequence = 1"));
        // The inbox key is the queue chosen at registration, not the consumer's class name.
        Assert.Equal([$"inbox-{engine}-probe-effect".ToLowerInvariant()], await connection.QueryAsync<string>("SELECT DISTINCT consumer FROM inbox_messages"));
        await host.ShutdownAsync();
    }

    [Fact]
    public async Task each_service_gets_every_event_and_instances_of_one_service_share_the_work()
    {
        var alphaOne = new Deliveries();
        var alphaTwo = new Deliveries();
        var beta = new Deliveries();
        var hosts = new[]
        {
            await TestHost.StartAsync(SqliteDb(), servers.RabbitMq.AmqpUri, "alpha", x => x.Add<RecordingConsumer>("recording"), deliveries: alphaOne, prefetch: 1),
            await TestHost.StartAsync(SqliteDb(), servers.RabbitMq.AmqpUri, "alpha", x => x.Add<RecordingConsumer>("recording"), deliveries: alphaTwo, prefetch: 1),
            await TestHost.StartAsync(SqliteDb(), servers.RabbitMq.AmqpUri, "beta", x => x.Add<RecordingConsumer>("recording"), deliveries: beta),
        };
        var bus = hosts[0].Services.GetRequiredService<IBus>();
        const int count = 40;
        var marker = Guid.NewGuid().ToString();

        for (var i = 0; i < count; i++)
        {
            await bus.Publish(new ProbeHappened(marker, i, "fan-out"));
        }
        // A marker published after the 40: each queue is consumed in order, so once it has arrived everywhere, so has
        // any second copy of the others.
        var end = marker + "-end";
        await bus.Publish(new ProbeHappened(end, 0, "fan-out marker"));
        await beta.WaitForAsync(count + 1, TimeSpan.FromSeconds(30));
        var until = DateTime.UtcNow.AddSeconds(30);
        while (alphaOne.Received.Count + alphaTwo.Received.Count < count + 1 && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        Assert.Contains(beta.Received, d => d.Message.AggregateId == end);
        Assert.Contains(alphaOne.Received.Concat(alphaTwo.Received), d => d.Message.AggregateId == end);
        Assert.Equal(count, beta.Received.Count(d => d.Message.AggregateId == marker));
        var alpha = alphaOne.Received.Concat(alphaTwo.Received).Where(d => d.Message.AggregateId == marker).ToList();
        Assert.Equal(count, alpha.Count);
        Assert.Equal(count, alpha.Select(d => d.MessageId).Distinct().Count());
        Assert.NotEmpty(alphaOne.Received);
        Assert.NotEmpty(alphaTwo.Received);
        foreach (var host in hosts)
        {
            await host.ShutdownAsync();
        }

        string SqliteDb() => TestSupport.SqliteFiles.NewDatabase("queues");
    }
}
