using Dapper;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.ReadModels;
using EmsAchse.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using Xunit;

namespace EmsAchse.Platform.Tests;

public sealed class VersionedCopyRuleTests
{
    [Theory]
    [InlineData(1L, null, true)]
    [InlineData(3L, 2L, true)]
    [InlineData(2L, 2L, false)]
    [InlineData(2L, 3L, false)]
    public void only_a_newer_version_than_the_one_held_supersedes_it(long incoming, long? held, bool applied) =>
        Assert.Equal(applied, VersionedCopy.Supersedes(incoming, held));
}

[Collection(PlatformCollection.Name)]
public sealed class ReadModelTests(PlatformServers servers)
{
    private static readonly VersionedCopy Probes = new("probe_copies", "probe_id", "display_name");

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_copy_changes_only_for_a_newer_version_and_an_equal_one_only_where_asked(DatabaseEngine engine)
    {
        var host = await TestHost.StartAsync(await servers.NewDatabaseAsync(engine), servers.RabbitMq.AmqpUri, $"copy-{engine}".ToLowerInvariant());
        var db = host.Services.GetRequiredService<ServiceDatabase>();
        var id = Guid.NewGuid().ToString();
        await db.WriteAsync(tx => tx.ExecuteAsync("CREATE TABLE probe_copies (probe_id TEXT PRIMARY KEY, display_name TEXT NOT NULL, version BIGINT NOT NULL)"));

        Assert.True(await db.WriteAsync(tx => Probes.UpsertAsync(tx, new { ProbeId = id, DisplayName = "eins", Version = 1L })));
        Assert.True(await db.WriteAsync(tx => Probes.UpsertAsync(tx, new { ProbeId = id, DisplayName = "drei", Version = 3L })));
        Assert.False(await db.WriteAsync(tx => Probes.UpsertAsync(tx, new { ProbeId = id, DisplayName = "zwei", Version = 2L })));
        Assert.False(await db.WriteAsync(tx => Probes.UpsertAsync(tx, new { ProbeId = id, DisplayName = "auch drei", Version = 3L })));
        Assert.Equal(3L, await db.WriteAsync(tx => Probes.HeldVersionAsync(tx, new { ProbeId = id })));
        Assert.Null(await db.WriteAsync(tx => Probes.HeldVersionAsync(tx, new { ProbeId = "unknown" })));
        await db.WriteAsync(tx => Probes.UpsertUnlessOlderAsync(tx, new { ProbeId = id, DisplayName = "zwei", Version = 2L }));
        await db.WriteAsync(tx => Probes.UpsertUnlessOlderAsync(tx, new { ProbeId = id, DisplayName = "wieder drei", Version = 3L }));

        await using var connection = await db.OpenAsync();
        Assert.Equal("wieder drei", await connection.ExecuteScalarAsync<string>("SELECT display_name FROM probe_copies"));
        await host.ShutdownAsync();
    }

    [Fact]
    public async Task a_retired_queue_is_removed_at_start_and_the_events_reach_its_successor()
    {
        var service = $"retiring-{Guid.NewGuid():N}"[..20];
        var before = new Deliveries();
        var old = await TestHost.StartAsync(SqliteFiles.NewDatabase("retiring-old"), servers.RabbitMq.AmqpUri, service, x => x.Add<RecordingConsumer>("per-event"), deliveries: before);
        // Stopped, not yet disposed: MassTransit's static log context would keep a disposed logger factory.
        await old.StopAsync();
        var marker = Guid.NewGuid().ToString();
        // Published while no version runs: it waits in the old queue, which is still bound.
        var publisher = await TestHost.StartAsync(SqliteFiles.NewDatabase("retiring-publisher"), servers.RabbitMq.AmqpUri, $"{service}-p");
        await publisher.Services.GetRequiredService<IBus>().Publish(new ProbeHappened(marker, 1, "before the upgrade"));
        await Eventually.SucceedsAsync(async () => Assert.Equal(1u, await MessagesInAsync($"{service}-per-event")));
        await publisher.StopAsync();

        var after = new Deliveries();
        var upgraded = await TestHost.StartAsync(SqliteFiles.NewDatabase("retiring-new"), servers.RabbitMq.AmqpUri, service,
            x => x.Add<RecordingConsumer>("per-family").Retire("per-event"), deliveries: after);

        await Eventually.SucceedsAsync(async () => Assert.Null(await MessagesInAsync($"{service}-per-event")));
        await upgraded.Services.GetRequiredService<IBus>().Publish(new ProbeHappened(marker, 2, "after the upgrade"));
        await after.WaitForAsync(1, TimeSpan.FromSeconds(30));
        Assert.Equal(2, Assert.Single(after.Received, d => d.Message.AggregateId == marker).Message.Sequence);
        // Nothing binds the retired queue's exchange any more, so a publish does not bring it back.
        Assert.Null(await MessagesInAsync($"{service}-per-event"));
        Assert.Empty(before.Received);
        await upgraded.ShutdownAsync();
        old.Dispose();
        publisher.Dispose();
    }

    /// <returns>The messages the queue holds, or null if it does not exist.</returns>
    private async Task<uint?> MessagesInAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = servers.RabbitMq.AmqpUri }.CreateConnectionAsync();
        return await QueueProbe.MessagesAsync(connection, queue, CancellationToken.None);
    }
}
