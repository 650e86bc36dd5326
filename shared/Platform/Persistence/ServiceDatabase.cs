using System.Data.Common;
using EmsAchse.Platform.Changes;
using EmsAchse.Platform.Messaging;

namespace EmsAchse.Platform.Persistence;

/// <summary>
/// The service's database: plain connections for reads, and write transactions whose outgoing
/// integration events are committed together with the change (transactional outbox).
/// </summary>
public sealed class ServiceDatabase(DbConnectionFactory connections, OutboxSignal outboxSignal, TimeProvider clock, ChangeActors actors) : IDisposable
{
    // SQLite has one writer at a time. Queueing this process's writers here waits asynchronously,
    // instead of each blocking a thread-pool thread in SQLite's busy handler.
    private readonly SemaphoreSlim _sqliteWriter = new(1, 1);

    public DatabaseEngine Engine => connections.Engine;

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) => connections.OpenAsync(cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction. Events published through the transaction are
    /// stored in the outbox and handed to the dispatcher only after the commit; on an exception
    /// nothing is committed and nothing is published.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<WriteTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        var serialised = connections.Engine == DatabaseEngine.Sqlite;
        if (serialised)
        {
            await _sqliteWriter.WaitAsync(cancellationToken);
        }
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var write = new WriteTransaction(connection, transaction, connections.Engine, clock, cancellationToken, actors.Current);
            var result = await work(write);
            await transaction.CommitAsync(cancellationToken);
            if (write.PublishedCount > 0)
            {
                outboxSignal.Notify();
            }
            return result;
        }
        finally
        {
            if (serialised)
            {
                _sqliteWriter.Release();
            }
        }
    }

    public void Dispose() => _sqliteWriter.Dispose();

    public Task WriteAsync(Func<WriteTransaction, Task> work, CancellationToken cancellationToken = default) =>
        WriteAsync<bool>(async tx =>
        {
            await work(tx);
            return true;
        }, cancellationToken);
}
