using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using EmsAchse.Platform.Persistence;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmsAchse.Platform.Messaging;

public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Fallback poll for events committed by another instance or left over from a crash.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// Publishes awaiting the broker's confirm at once. A confirm takes milliseconds (the broker syncs its
    /// disk in groups), so the rate is about this many divided by that time.
    /// </summary>
    [Range(1, 1_000)]
    public int PublishConcurrency { get; set; } = 32;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Sent rows are kept this long for inspection, then deleted.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan RetainSent { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// Publishes committed outbox rows to the broker and marks them sent. On PostgreSQL a batch is taken,
/// published and marked in one database transaction that holds the rows' locks, so with several
/// instances on one database no row is sent by two of them, and if the process dies mid-batch the rows
/// stay unsent and are published again (at-least-once; consumers' inbox drops the duplicate). Only the
/// oldest unsent row of each aggregate is eligible as a head, so one aggregate's events never overtake
/// each other across instances. SQLite serves one instance; see <see cref="DispatchBatchAsync"/>.
/// </summary>
public sealed partial class OutboxDispatcher(
    DbConnectionFactory connections,
    IBusControl bus,
    OutboxSignal signal,
    TimeProvider clock,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly OutboxOptions _options = options.Value;
    private DateTimeOffset _lastCleanup = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WaitForBusAsync(stoppingToken);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int published;
                do
                {
                    published = await DispatchBatchAsync(stoppingToken);
                }
                while (published > 0 && !stoppingToken.IsCancellationRequested);
                failures = 0;
                await CleanupAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                LogDispatchFailed(logger, ex, failures);
                // Back off while the broker or database is unavailable, up to half a minute.
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(failures, 7))));
                await Task.Delay(delay, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                continue;
            }
            await signal.WaitAsync(_options.PollInterval, stoppingToken);
        }
    }

    /// <summary>
    /// Publishing before the bus has started would bind nothing: this service's own consumers would
    /// miss the events although they are marked sent. So the first batch waits for a healthy bus.
    /// </summary>
    private async Task WaitForBusAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            patience.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                if (await bus.WaitForHealthStatus(BusHealthStatus.Healthy, patience.Token) == BusHealthStatus.Healthy)
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (patience.IsCancellationRequested)
            {
                // Stopping, or half a minute without a healthy bus.
            }
            if (!stoppingToken.IsCancellationRequested)
            {
                LogWaitingForBus(logger);
            }
        }
    }

    /// <summary>Publishes one batch; returns how many rows were published.</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        if (connections.Engine == DatabaseEngine.Sqlite)
        {
            // SQLite is the single-node engine: this process's one dispatcher is the only reader of the
            // outbox, so it reads without a lock and takes the write lock only to mark what it sent.
            // Holding SQLite's single write lock while publishing would stall every writer of the service.
            const string sqliteSql = """
                SELECT id, message_id AS MessageId, aggregate_id AS AggregateId, message_type AS MessageType,
                       body AS Body, correlation_id AS CorrelationId
                FROM outbox_messages WHERE sent_at IS NULL ORDER BY id LIMIT @batch
                """;
            var unsent = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(sqliteSql, new { batch = _options.BatchSize }, cancellationToken: cancellationToken))).ToList();
            if (unsent.Count == 0)
            {
                return 0;
            }
            var outcome = await PublishInOrderAsync(unsent, cancellationToken);
            await using var marking = await connection.BeginTransactionAsync(CancellationToken.None);
            await MarkAsync(connection, marking, outcome);
            await marking.CommitAsync(CancellationToken.None);
            return Completed(outcome);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = await LeaseAsync(connection, transaction, cancellationToken);
        if (rows.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }
        var published = await PublishInOrderAsync(rows, cancellationToken);
        await MarkAsync(connection, transaction, published);
        await transaction.CommitAsync(CancellationToken.None);
        return Completed(published);
    }

    private async Task<PublishOutcome> PublishInOrderAsync(List<OutboxRow> rows, CancellationToken cancellationToken)
    {
        var outcome = new PublishOutcome();
        var byAggregate = rows.GroupBy(r => r.AggregateId).ToList();
        await Parallel.ForEachAsync(byAggregate, new ParallelOptions { MaxDegreeOfParallelism = _options.PublishConcurrency, CancellationToken = cancellationToken }, async (group, ct) =>
        {
            foreach (var row in group.OrderBy(r => r.Id))
            {
                try
                {
                    await PublishAsync(row, ct);
                    outcome.Sent.Add(row.Id);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // Later events of this aggregate wait for this one, to keep their order.
                    outcome.Failed.Add((row.Id, ex.Message));
                    LogPublishFailed(logger, ex, row.MessageId, row.MessageType);
                    break;
                }
            }
        });
        return outcome;
    }

    private async Task MarkAsync(DbConnection connection, DbTransaction transaction, PublishOutcome outcome)
    {
        var now = clock.GetUtcNow();
        if (!outcome.Sent.IsEmpty)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                connections.Engine == DatabaseEngine.Postgres
                    ? "UPDATE outbox_messages SET sent_at = @now, attempts = attempts + 1 WHERE id = ANY(@ids)"
                    : "UPDATE outbox_messages SET sent_at = @now, attempts = attempts + 1 WHERE id IN @ids",
                new { now, ids = outcome.Sent.ToArray() }, transaction, cancellationToken: CancellationToken.None));
        }
        foreach (var (id, error) in outcome.Failed)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE outbox_messages SET attempts = attempts + 1, last_error = @error WHERE id = @id",
                new { id, error }, transaction, cancellationToken: CancellationToken.None));
        }
    }

    private static int Completed(PublishOutcome outcome) =>
        outcome.Failed.IsEmpty
            ? outcome.Sent.Count
            : throw new InvalidOperationException($"{outcome.Failed.Count} outbox message(s) could not be published; they stay queued.");

    private sealed class PublishOutcome
    {
        public ConcurrentBag<long> Sent { get; } = [];
        public ConcurrentBag<(long Id, string Error)> Failed { get; } = [];
    }

    private async Task<List<OutboxRow>> LeaseAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // Heads: the oldest unsent row of each aggregate that no other instance holds.
        const string headsSql = """
            SELECT o.id, o.message_id AS MessageId, o.aggregate_id AS AggregateId, o.message_type AS MessageType,
                   o.body AS Body, o.correlation_id AS CorrelationId
            FROM outbox_messages o
            WHERE o.sent_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM outbox_messages p
                              WHERE p.aggregate_id = o.aggregate_id AND p.sent_at IS NULL AND p.id < o.id)
            ORDER BY o.id
            LIMIT @batch
            FOR UPDATE SKIP LOCKED
            """;
        var heads = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(headsSql, new { batch = _options.BatchSize }, transaction, cancellationToken: cancellationToken))).ToList();
        if (heads.Count == 0)
        {
            return heads;
        }

        // Followers of those aggregates: nobody else can hold them while we hold their head.
        const string followersSql = """
            SELECT id, message_id AS MessageId, aggregate_id AS AggregateId, message_type AS MessageType,
                   body AS Body, correlation_id AS CorrelationId
            FROM outbox_messages
            WHERE sent_at IS NULL AND aggregate_id = ANY(@aggregates) AND NOT (id = ANY(@heads))
            ORDER BY id
            LIMIT @batch
            FOR UPDATE
            """;
        var followers = await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            followersSql,
            new { aggregates = heads.Select(h => h.AggregateId).Distinct().ToArray(), heads = heads.Select(h => h.Id).ToArray(), batch = _options.BatchSize },
            transaction,
            cancellationToken: cancellationToken));
        heads.AddRange(followers);
        return heads;
    }

    private async Task PublishAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        var type = MessageTypeName.Resolve(row.MessageType);
        var message = JsonSerializer.Deserialize(row.Body, type, MessageJson.Options)
            ?? throw new InvalidOperationException($"Outbox message {row.MessageId} has an empty body.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        // MassTransit waits for the broker's publisher confirm before this returns.
        await bus.Publish(message, type, context =>
        {
            context.MessageId = row.MessageId;
            if (row.CorrelationId is not null)
            {
                context.Headers.Set(MessagingSetup.CorrelationHeader, row.CorrelationId);
            }
        }, timeout.Token);
    }

    private async Task CleanupAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now - _lastCleanup < TimeSpan.FromMinutes(10))
        {
            return;
        }
        _lastCleanup = now;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM outbox_messages WHERE sent_at IS NOT NULL AND sent_at < @before",
            new { before = now - _options.RetainSent }, cancellationToken: cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatch failed ({Failures} in a row); retrying with back-off")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox waits for the message bus, which is not healthy after 30 s")]
    private static partial void LogWaitingForBus(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing outbox message {MessageId} ({MessageType}) failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid messageId, string messageType);

    private sealed class OutboxRow
    {
        public long Id { get; init; }
        public Guid MessageId { get; init; }
        public string AggregateId { get; init; } = "";
        public string MessageType { get; init; } = "";
        public string Body { get; init; } = "";
        public string? CorrelationId { get; init; }
    }
}
