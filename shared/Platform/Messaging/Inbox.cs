using EmsAchse.Platform.Changes;
using EmsAchse.Platform.Persistence;
using MassTransit;

namespace EmsAchse.Platform.Messaging;

/// <summary>
/// Applies a consumed message at most once per consumer: the message id is recorded in the same
/// transaction as the consumer's effect, so a redelivery finds it and does nothing.
/// </summary>
public sealed class Inbox(ServiceDatabase database)
{
    /// <returns>true if the effect ran; false if this consumer had already handled the message.</returns>
    public Task<bool> HandleOnceAsync(Guid messageId, string consumer, Func<WriteTransaction, Task> effect, CancellationToken cancellationToken) =>
        database.WriteAsync(async tx =>
        {
            const string sql = """
                INSERT INTO inbox_messages (message_id, consumer, received_at)
                VALUES (@messageId, @consumer, @receivedAt)
                ON CONFLICT DO NOTHING
                """;
            var inserted = await tx.ExecuteAsync(sql, new { messageId, consumer, receivedAt = tx.Now });
            if (inserted == 0)
            {
                return false;
            }
            await effect(tx);
            return true;
        }, cancellationToken);
}

/// <summary>A consumed message's inbox key: its id and the queue it came from, a name chosen at registration (not the consumer's class name).</summary>
public readonly record struct InboxKey(Guid MessageId, string Consumer)
{
    public static InboxKey Of(ConsumeContext context) => new(
        context.MessageId ?? throw new InvalidOperationException($"A message on {context.ReceiveContext.InputAddress} arrived without a message id; it cannot be de-duplicated."),
        context.ReceiveContext.InputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1]);
}

/// <summary>
/// Base for consumers whose effect is a database change: the change, any events it publishes through the outbox and
/// the inbox record commit together. One consumer may take several messages (the events of one upstream aggregate
/// family) on its one queue; the queue's name is the inbox key.
/// </summary>
public abstract class InboxConsumer(Inbox inbox)
{
    protected async Task ApplyOnceAsync<TMessage>(ConsumeContext<TMessage> context, Func<TMessage, WriteTransaction, Task> apply)
        where TMessage : class
    {
        // The inbox key is the queue, a name chosen at registration: a renamed class keeps its inbox.
        var key = InboxKey.Of(context);
        // An event-driven change is the consumer's: its queue names it in the change record.
        using var actor = RecordsChanges ? ChangeActors.ActAs(ChangeActor.Consumer(key.Consumer)) : null;
        await inbox.HandleOnceAsync(key.MessageId, key.Consumer, tx => apply(context.Message, tx), context.CancellationToken);
    }

    /// <summary>False for a consumer that only re-announces current state (a re-sync answer): that changes nothing.</summary>
    protected virtual bool RecordsChanges => true;
}

/// <summary>An <see cref="InboxConsumer"/> of one message.</summary>
public abstract class IdempotentConsumer<TMessage>(Inbox inbox) : InboxConsumer(inbox), IConsumer<TMessage>
    where TMessage : class
{
    public Task Consume(ConsumeContext<TMessage> context) => ApplyOnceAsync<TMessage>(context, ApplyAsync);

    protected abstract Task ApplyAsync(TMessage message, WriteTransaction tx);
}
