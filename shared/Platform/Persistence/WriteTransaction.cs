using System.Data.Common;
using System.Text.Json;
using Dapper;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Messaging;

namespace EmsAchse.Platform.Persistence;

/// <summary>An open write transaction of the service's database, with the outbox on the same connection.</summary>
public sealed class WriteTransaction(
    DbConnection connection,
    DbTransaction transaction,
    DatabaseEngine engine,
    TimeProvider clock,
    CancellationToken cancellationToken)
{
    public DbConnection Connection { get; } = connection;
    public DbTransaction Transaction { get; } = transaction;
    public DatabaseEngine Engine { get; } = engine;
    public CancellationToken CancellationToken { get; } = cancellationToken;
    public DateTimeOffset Now => clock.GetUtcNow();
    internal int PublishedCount { get; private set; }

    /// <summary>
    /// Suffix for a SELECT that reads a row in order to change it: on PostgreSQL it locks the row so
    /// competing writers queue; SQLite's write transactions are serialised already.
    /// </summary>
    public string ForUpdate => Engine == DatabaseEngine.Postgres ? " FOR UPDATE" : "";

    public Task<int> ExecuteAsync(string sql, object? parameters = null) =>
        Connection.ExecuteAsync(Command(sql, parameters));

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters = null) =>
        Connection.QuerySingleOrDefaultAsync<T>(Command(sql, parameters));

    public Task<IEnumerable<T>> QueryAsync<T>(string sql, object? parameters = null) =>
        Connection.QueryAsync<T>(Command(sql, parameters));

    public Task<T?> ExecuteScalarAsync<T>(string sql, object? parameters = null) =>
        Connection.ExecuteScalarAsync<T>(Command(sql, parameters));

    /// <summary>
    /// Stores an integration event in the outbox within this transaction. Events of one aggregate are
    /// published in the order they were stored.
    /// </summary>
    public async Task<Guid> PublishAsync<TMessage>(string aggregateId, TMessage message)
        where TMessage : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(aggregateId);
        var messageId = Guid.NewGuid();
        const string sql = """
            INSERT INTO outbox_messages (message_id, aggregate_id, message_type, body, correlation_id, created_at)
            VALUES (@messageId, @aggregateId, @messageType, @body, @correlationId, @createdAt)
            """;
        await ExecuteAsync(sql, new
        {
            messageId,
            aggregateId,
            messageType = MessageTypeName.Of(typeof(TMessage)),
            body = JsonSerializer.Serialize(message, MessageJson.Options),
            correlationId = CorrelationContext.Current,
            createdAt = Now,
        });
        PublishedCount++;
        return messageId;
    }

    private CommandDefinition Command(string sql, object? parameters) =>
        new(sql, parameters, Transaction, cancellationToken: CancellationToken);
}
