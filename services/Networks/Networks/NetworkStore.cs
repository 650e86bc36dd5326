using System.Data.Common;
using System.Text.Json;
using Dapper;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Networks.Networks;

/// <summary>A network's row as a write transaction sees it, locked against competing writers.</summary>
internal sealed class NetworkState
{
    public string Slug { get; init; } = "";
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public string Topics { get; init; } = "[]";
    public DateOnly? Founded { get; init; }
    public string Status { get; init; } = "";
    public DateOnly? DissolvedOn { get; init; }
    public long Version { get; init; }

    public string[] TopicList => JsonSerializer.Deserialize<string[]>(Topics) ?? [];
}

internal static class NetworkStore
{
    private const string Columns = """
        SELECT slug AS Slug, name AS Name, description AS Description, topics AS Topics, founded AS Founded,
               status AS Status, dissolved_on AS DissolvedOn, version AS Version
        FROM networks
        """;

    private const string Select = Columns + " WHERE slug = @slug";

    public const string SelectAll = Columns + " ORDER BY slug";

    /// <summary>
    /// Reads the network for a change. SQLite write transactions are already serialised; on
    /// PostgreSQL the row lock makes a competing writer wait, so versions never collide.
    /// </summary>
    public static Task<NetworkState?> LockAsync(WriteTransaction tx, string slug) =>
        tx.QuerySingleOrDefaultAsync<NetworkState>(Select + tx.ForUpdate, new { slug });

    public static async Task<bool> ExistsAsync(DbConnection connection, string slug, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM networks WHERE slug = @slug", new { slug }, cancellationToken: ct)) > 0;
}
