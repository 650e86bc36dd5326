using EmsAchse.TestSupport.Containers;
using Npgsql;
using Xunit;

namespace EmsAchse.Infrastructure.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresServer server)
{
    [Fact]
    public async Task Two_created_databases_are_distinct_and_isolated()
    {
        var first = await server.CreateDatabaseAsync("infra");
        var second = await server.CreateDatabaseAsync("infra");

        var firstName = new NpgsqlConnectionStringBuilder(first).Database;
        var secondName = new NpgsqlConnectionStringBuilder(second).Database;
        Assert.NotEqual(firstName, secondName);
        Assert.StartsWith("t_infra_", firstName, StringComparison.Ordinal);

        await ExecuteAsync(first, "CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL)");
        await ExecuteAsync(first, "INSERT INTO item VALUES (1, 'first'), (2, 'second')");
        await ExecuteAsync(second, "CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL)");
        await ExecuteAsync(second, "INSERT INTO item VALUES (1, 'only')");

        Assert.Equal(2L, await ScalarAsync<long>(first, "SELECT count(*) FROM item"));
        Assert.Equal(1L, await ScalarAsync<long>(second, "SELECT count(*) FROM item"));
        Assert.Equal("second", await ScalarAsync<string>(first, "SELECT name FROM item WHERE id = 2"));
        Assert.Equal("only", await ScalarAsync<string>(second, "SELECT name FROM item WHERE id = 1"));
        Assert.Equal(firstName, await ScalarAsync<string>(first, "SELECT current_database()"));
    }

    [Fact]
    public async Task Created_database_is_empty_and_owned_by_the_connecting_user()
    {
        var connectionString = await server.CreateDatabaseAsync();

        Assert.Equal(0L, await ScalarAsync<long>(connectionString, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
        Assert.True(await ScalarAsync<bool>(connectionString, "SELECT has_database_privilege(current_database(), 'CREATE')"));
    }

    [Fact]
    public async Task Server_allows_more_connections_than_the_postgres_default_of_100()
    {
        var connectionString = await server.CreateDatabaseAsync("concurrency");
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };

        var connections = Enumerable.Range(0, 110).Select(_ => new NpgsqlConnection(builder.ConnectionString)).ToList();
        try
        {
            await Task.WhenAll(connections.Select(c => c.OpenAsync()));

            Assert.All(connections, c => Assert.Equal(System.Data.ConnectionState.Open, c.State));
            Assert.True(await ScalarAsync<int>(connectionString, "SELECT current_setting('max_connections')::int") >= 300);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var result = await command.ExecuteScalarAsync();
        return (T)result!;
    }
}
