using System.Globalization;
using System.Text;
using Npgsql;
using Testcontainers.PostgreSql;
using Xunit;

namespace EmsAchse.TestSupport.Containers;

/// <summary>
/// A PostgreSQL server for integration tests, meant as an xUnit collection fixture: one server per
/// collection, and a fresh database per test from <see cref="CreateDatabaseAsync"/>. Uses the
/// existing server named by <c>EMSACHSE_TEST_POSTGRES</c> (an Npgsql connection string or a
/// postgres:// URI of a user that may CREATE DATABASE) if set; otherwise starts a throwaway
/// container from <c>EMSACHSE_TEST_POSTGRES_IMAGE</c> (set by tests/run.sh to the locally built
/// image), or the official image when that is unset too.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>Environment variable with the connection string of an existing server to use instead of a container.</summary>
    public const string ExistingServerVariable = "EMSACHSE_TEST_POSTGRES";

    /// <summary>Environment variable with the image to start when no existing server is configured.</summary>
    public const string ImageVariable = "EMSACHSE_TEST_POSTGRES_IMAGE";

    /// <summary>The image used when neither variable is set.</summary>
    public const string DefaultImage = "postgres:15.10";

    // PostgreSQL truncates identifiers longer than this many bytes.
    private const int MaxIdentifierLength = 63;

    private readonly List<string> _createdDatabases = [];
    private readonly Lock _gate = new();
    private PostgreSqlContainer? _container;
    private string? _adminConnectionString;

    /// <summary>Connection string of the server's maintenance database, as the administrative user.</summary>
    public string AdminConnectionString => _adminConnectionString ?? throw new InvalidOperationException("The PostgreSQL server has not been started (InitializeAsync).");

    public async Task InitializeAsync()
    {
        var existing = Environment.GetEnvironmentVariable(ExistingServerVariable);
        if (!string.IsNullOrWhiteSpace(existing))
        {
            var builder = new NpgsqlConnectionStringBuilder(ToConnectionString(existing.Trim()));
            _adminConnectionString = builder.ConnectionString;
            Console.WriteLine($"[TestSupport] PostgreSQL: existing server from {ExistingServerVariable} ({builder.Host}:{builder.Port})");
            return;
        }

        var image = Environment.GetEnvironmentVariable(ImageVariable);
        image = string.IsNullOrWhiteSpace(image) ? DefaultImage : image.Trim();
        Console.WriteLine($"[TestSupport] PostgreSQL: starting a container from image {image}");

        TestSessions.Record();
        _container = new PostgreSqlBuilder(image)
            .WithCommand("-c", "max_connections=300")
            .Build();
        await _container.StartAsync();

        // The container speaks neither GSSAPI nor TLS; without this, Npgsql first tries GSS
        // encryption on every new physical connection, which costs ~50 ms each.
        _adminConnectionString = new NpgsqlConnectionStringBuilder(_container.GetConnectionString())
        {
            GssEncryptionMode = GssEncryptionMode.Disable,
        }.ConnectionString;
    }

    /// <summary>
    /// Creates a new, uniquely named, empty database on the shared server and returns a connection
    /// string for it (same user as <see cref="AdminConnectionString"/>).
    /// </summary>
    /// <param name="prefix">Optional readable start of the name (letters, digits and _ are kept).</param>
    public async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        var name = NewDatabaseName(prefix);

        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // The name is generated from [a-z0-9_] only, so quoting it is enough.
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            await command.ExecuteNonQueryAsync();
        }

        lock (_gate)
        {
            _createdDatabases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_container is not null)
        {
            // Removes the container with all its databases (Testcontainers' Ryuk reaper is disabled by tests/run.sh).
            NpgsqlConnection.ClearAllPools();
            await _container.DisposeAsync();
            _container = null;
            return;
        }

        if (_adminConnectionString is not null)
        {
            await DropCreatedDatabasesAsync();
        }
    }

    // On an existing server, leave nothing behind.
    private async Task DropCreatedDatabasesAsync()
    {
        string[] names;
        lock (_gate)
        {
            names = [.. _createdDatabases];
            _createdDatabases.Clear();
        }

        if (names.Length == 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync();
            foreach (var name in names)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
                await command.ExecuteNonQueryAsync();
            }
        }
        catch (NpgsqlException exception)
        {
            Console.WriteLine($"[TestSupport] PostgreSQL: could not drop test databases: {exception.Message}");
        }
    }

    private static string NewDatabaseName(string? prefix)
    {
        var unique = Guid.NewGuid().ToString("N");
        var readable = new StringBuilder("t_");
        foreach (var c in (prefix ?? string.Empty).ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')
            {
                readable.Append(c);
            }
        }

        var maxPrefix = MaxIdentifierLength - unique.Length - 1;
        var start = readable.Length > maxPrefix ? readable.ToString(0, maxPrefix) : readable.ToString();
        return string.Create(CultureInfo.InvariantCulture, $"{start}_{unique}");
    }

    // Accepts "Host=...;Username=..." as well as "postgres://user:pass@host:port/db".
    private static string ToConnectionString(string value)
    {
        if (!value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            && !value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        var uri = new Uri(value);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? Uri.UnescapeDataString(db) : "postgres",
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length > 1)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        return builder.ConnectionString;
    }
}
