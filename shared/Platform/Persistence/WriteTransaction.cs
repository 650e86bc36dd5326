using System.Data.Common;
using System.Text.Json;
using Dapper;
using EmsAchse.Platform.Changes;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Messaging;

namespace EmsAchse.Platform.Persistence;

/// <summary>An open write transaction of the service's database, with the outbox on the same connection.</summary>
public sealed class WriteTransaction(
    DbConnection connection,
    DbTransaction transaction,
    DatabaseEngine engine,
    TimeProvider clock,
    CancellationToken cancellationToken,
    ChangeActor? actor = null)
{
    public DbConnection Connection { get; } = connection;
    public DbTransaction Transaction { get; } = transaction;
    public DatabaseEngine Engine { get; } = engine;
    public CancellationToken CancellationToken { get; } = cancellationToken;
    public DateTimeOffset Now => clock.GetUtcNow();
    internal int PublishedCount { get; private set; }

    /// <summary>Who this write is for; null for start-up work, which leaves no change record.</summary>
    public ChangeActor? Actor { get; } = actor;

    /// <summary>Whether this transaction holds its change record already: one per change, the first one that names it.</summary>
    public bool ChangeRecorded { get; private set; }

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
    /// Appends this change's record ("who changed what") unless the transaction has one or runs for no one. For writes
    /// that publish no event; a published event records itself (<see cref="PublishAsync"/>).
    /// </summary>
    public async Task RecordChangeAsync(string action, string aggregateType, string aggregateId, string? network = null)
    {
        if (ChangeRecorded || Actor is null)
        {
            return;
        }
        const string sql = """
            INSERT INTO change_records (at, actor_id, actor_name, action, aggregate_type, aggregate_id, network)
            VALUES (@at, @actorId, @actorName, @action, @aggregateType, @aggregateId, @network)
            """;
        await ExecuteAsync(sql, new { at = Now, actorId = Actor.Id, actorName = Actor.Name, action, aggregateType, aggregateId, network });
        ChangeRecorded = true;
    }

    /// <summary>
    /// Stores an integration event in the outbox within this transaction. Events of one aggregate are
    /// published in the order they were stored. The first event of a write is also its change record, by the
    /// event's name ("site.closed"), aggregate and network, when the write runs for someone (a caller, a consumer
    /// that changes state; a re-sync answer runs for no one).
    /// </summary>
    public async Task<Guid> PublishAsync<TMessage>(string aggregateId, TMessage message)
        where TMessage : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(aggregateId);
        if (!ChangeRecorded && Actor is not null)
        {
            var (type, id) = ChangeDescription.AggregateOf(aggregateId, typeof(TMessage));
            await RecordChangeAsync(ChangeDescription.ActionOf(typeof(TMessage)), type, id, ChangeDescription.NetworkOfEvent(message, type, id));
        }

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
