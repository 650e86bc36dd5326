using Dapper;
using EmsAchse.Platform.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EmsAchse.Platform.Tests;

[Collection(PlatformCollection.Name)]
public sealed class MigrationRunnerTests(PlatformServers servers)
{
    private static readonly MigrationScript First = new("test/0001_first.sql", "CREATE TABLE first_table (id INTEGER PRIMARY KEY, name TEXT NOT NULL);");
    private static readonly MigrationScript Second = new("test/0002_second.sql", "INSERT INTO first_table (id, name) VALUES (1, 'one');");
    private static readonly MigrationScript Broken = new("test/0003_broken.sql", "INSERT INTO first_table (id, name) VALUES (2, 'two'); CREATE TABLE oops (;");

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task each_script_is_applied_once_and_recorded(DatabaseEngine engine)
    {
        using var connections = new DbConnectionFactory(await servers.NewDatabaseAsync(engine));
        var runner = new MigrationRunner(connections, NullLogger<MigrationRunner>.Instance);

        var firstRun = await runner.ApplyAsync([First, Second]);
        var secondRun = await runner.ApplyAsync([First, Second]);

        Assert.Equal(["test/0001_first.sql", "test/0002_second.sql"], firstRun);
        Assert.Empty(secondRun);
        await using var connection = await connections.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM first_table"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_versions WHERE version LIKE 'test/%'"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_broken_script_is_refused_by_name_and_leaves_nothing_behind(DatabaseEngine engine)
    {
        using var connections = new DbConnectionFactory(await servers.NewDatabaseAsync(engine));
        var runner = new MigrationRunner(connections, NullLogger<MigrationRunner>.Instance);

        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => runner.ApplyAsync([First, Second, Broken]));

        Assert.Equal("test/0003_broken.sql", failure.Script);
        Assert.Contains("test/0003_broken.sql", failure.Message, StringComparison.Ordinal);
        await using var connection = await connections.OpenAsync();
        // The scripts before it stay applied; the broken one's first statement was rolled back with it.
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM first_table"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_versions WHERE version = 'test/0003_broken.sql'"));
    }

    [Fact]
    public async Task instances_starting_together_on_postgres_apply_each_script_once()
    {
        var connectionString = await servers.NewDatabaseAsync(DatabaseEngine.Postgres);
        var scripts = MigrationRunner.ForService(typeof(MigrationRunnerTests).Assembly, DatabaseEngine.Postgres);
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var connections = new DbConnectionFactory(connectionString);
            return await new MigrationRunner(connections, NullLogger<MigrationRunner>.Instance).ApplyAsync(scripts);
        }));

        // Between them the four runners applied every script exactly once.
        var applied = runs.SelectMany(r => r).ToList();
        Assert.Equal(scripts.Select(s => s.Name).Order(), applied.Order());
        Assert.Contains("platform/0001_outbox_inbox.sql", applied);
        Assert.Contains("service/0001_probe.sql", applied);
    }
}
