using System.Data.Common;
using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;

namespace EmsAchse.Platform.Persistence;

/// <summary>One migration: a name that orders it and is recorded once applied, and its SQL.</summary>
public sealed record MigrationScript(string Name, string Sql);

public sealed class MigrationFailedException(string script, Exception inner)
    : Exception($"Migration '{script}' failed: {inner.Message}", inner)
{
    public string Script { get; } = script;
}

/// <summary>
/// Applies per-engine .sql files in order, each in its own transaction together with its row in
/// schema_versions. On PostgreSQL an advisory lock makes concurrent starts of several instances safe;
/// on SQLite the write lock of BEGIN IMMEDIATE does the same.
/// </summary>
public sealed class MigrationRunner(DbConnectionFactory connections, ILogger<MigrationRunner> logger)
{
    // Any fixed number works; it only has to be the same for every instance of every service.
    private const long AdvisoryLockKey = 0x454D5341_4D494752; // "EMSAMIGR"

    /// <summary>Embedded scripts of an assembly under its Migrations/{engine}/ folder, ordered by file name.</summary>
    public static IReadOnlyList<MigrationScript> FromAssembly(Assembly assembly, DatabaseEngine engine, string scope)
    {
        var marker = $".Migrations.{(engine == DatabaseEngine.Postgres ? "postgres" : "sqlite")}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.Contains(marker, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                var file = n[(n.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..];
                return new MigrationScript($"{scope}/{file}", reader.ReadToEnd());
            })
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The platform's own tables (outbox, inbox) followed by the service's scripts.</summary>
    public static IReadOnlyList<MigrationScript> ForService(Assembly serviceAssembly, DatabaseEngine engine) =>
        [
            .. FromAssembly(typeof(MigrationRunner).Assembly, engine, "platform"),
            .. FromAssembly(serviceAssembly, engine, "service"),
        ];

    public async Task<IReadOnlyList<string>> ApplyAsync(IReadOnlyList<MigrationScript> scripts, CancellationToken cancellationToken = default)
    {
        var applied = new List<string>();
        await using var connection = await connections.OpenAsync(cancellationToken);
        var postgres = connections.Engine == DatabaseEngine.Postgres;
        if (postgres)
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = AdvisoryLockKey }, cancellationToken: cancellationToken));
        }
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                postgres
                    ? "CREATE TABLE IF NOT EXISTS schema_versions (version text PRIMARY KEY, applied_at timestamptz NOT NULL)"
                    : "CREATE TABLE IF NOT EXISTS schema_versions (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
                cancellationToken: cancellationToken));

            foreach (var script in scripts)
            {
                if (await ApplyOneAsync(connection, script, cancellationToken))
                {
                    applied.Add(script.Name);
                    logger.LogInformation("Applied migration {Migration}", script.Name);
                }
            }
        }
        finally
        {
            if (postgres)
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = AdvisoryLockKey });
            }
        }
        return applied;
    }

    private static async Task<bool> ApplyOneAsync(DbConnection connection, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var done = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM schema_versions WHERE version = @version", new { version = script.Name }, transaction, cancellationToken: cancellationToken));
        if (done > 0)
        {
            return false;
        }
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(script.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_versions (version, applied_at) VALUES (@version, @at)",
                new { version = script.Name, at = DateTimeOffset.UtcNow }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        catch (DbException ex)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            throw new MigrationFailedException(script.Name, ex);
        }
    }
}
