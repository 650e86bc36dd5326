using Dapper;
using EmsAchse.Platform.Persistence;
using EmsAchse.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EmsAchse.Funding.Tests;

/// <summary>Inbox rows written under the old keys (consumer class names) keep de-duplicating under the queue names.</summary>
[Collection(FundingCollection.Name)]
public sealed class InboxKeyMigrationTests(FundingServers servers)
{
    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task inbox_rows_keyed_by_class_name_are_carried_over_to_the_queue_names(DatabaseEngine engine)
    {
        var database = engine == DatabaseEngine.Postgres ? await servers.Postgres.CreateDatabaseAsync("funding-inbox") : SqliteFiles.NewDatabase("funding-inbox");
        using var connections = new DbConnectionFactory(database);
        var runner = new MigrationRunner(connections, NullLogger<MigrationRunner>.Instance);
        var scripts = MigrationRunner.ForService(typeof(Program).Assembly, engine);
        var before = scripts.TakeWhile(s => !s.Name.Contains("inbox_keys_are_queue_names", StringComparison.Ordinal)).ToList();
        Assert.NotEqual(scripts.Count, before.Count);
        await runner.ApplyAsync(before);
        var messageId = Guid.NewGuid();
        await using (var connection = await connections.OpenAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO inbox_messages (message_id, consumer, received_at) VALUES (@messageId, 'MembershipActivatedConsumer', @at), (@messageId, 'SomeOtherConsumer', @at)",
                new { messageId, at = DateTimeOffset.UtcNow });
        }

        await runner.ApplyAsync(scripts);

        await using var after = await connections.OpenAsync();
        var keys = (await after.QueryAsync<string>("SELECT consumer FROM inbox_messages WHERE message_id = @messageId", new { messageId })).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["SomeOtherConsumer", "funding-membership-activated"], keys);
    }
}
