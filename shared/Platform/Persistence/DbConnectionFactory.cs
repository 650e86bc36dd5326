using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EmsAchse.Platform.Persistence;

/// <summary>
/// The one place that turns the service's connection string into open connections. The engine follows
/// from the connection string: PostgreSQL when it names a host, SQLite otherwise.
/// </summary>
public sealed class DbConnectionFactory : IDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqlite;
    private const string PerConnectionPragmas = "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;";
    private int _walEnsured;

    public DbConnectionFactory(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        Engine = DetectEngine(connectionString);
        if (Engine == DatabaseEngine.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(connectionString);
        }
        else
        {
            var builder = new SqliteConnectionStringBuilder(connectionString)
            {
                // Pooling keeps the per-connection pragmas cheap; writers serialise on SQLite's own lock.
                Pooling = true,
                DefaultTimeout = 30,
            };
            var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
            _sqlite = builder.ToString();
        }
        DapperTypeHandlers.Register();
    }

    public DatabaseEngine Engine { get; }

    public static DatabaseEngine DetectEngine(string connectionString)
    {
        var lower = connectionString.ToLowerInvariant();
        return lower.Contains("host=", StringComparison.Ordinal) || lower.Contains("server=", StringComparison.Ordinal)
            ? DatabaseEngine.Postgres
            : DatabaseEngine.Sqlite;
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_sqlite);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            // busy_timeout lets a writer wait for another instead of failing at once; WAL lets readers
            // go on while one writes. journal_mode is persistent, so it is set once per file.
            // secure_delete overwrites deleted content, so erased personal data does not linger in free pages.
            command.CommandText = Interlocked.Exchange(ref _walEnsured, 1) == 0
                ? "PRAGMA journal_mode=WAL; " + PerConnectionPragmas
                : PerConnectionPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public void Dispose() => _postgres?.Dispose();
}
