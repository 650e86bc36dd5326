using Dapper;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace EmsAchse.Platform.Messaging;

public sealed record QueueState(string Queue, uint Waiting, uint Failed);

/// <summary>One line of the queue list: a consumer's queue ("main") or its error queue ("error").</summary>
public sealed record QueueCount(string Queue, string Kind, uint Messages);

/// <summary>The queues this service consumes from, as named where its consumers are registered.</summary>
public sealed class ServiceQueues
{
    private readonly List<string> _names = [];

    public ServiceQueues(params IEnumerable<string> names) => _names.AddRange(names);

    public IReadOnlyList<string> Names => _names;

    internal void Add(string queue) => _names.Add(queue);
}

internal static class QueueProbe
{
    /// <returns>The messages the queue holds, or null if it does not exist.</returns>
    public static async Task<uint?> MessagesAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        // A passive declare of a missing queue closes the channel, so each probe gets its own.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return null;
        }
    }
}

/// <summary>How many messages a re-drive moved back from the error queue.</summary>
public sealed record RedriveResult(string Queue, int Redriven);

public sealed record OutboxState(long Unsent, DateTimeOffset? OldestUnsent, long Failing, string? LastError);

/// <summary>
/// Operators' view of messages that failed: a consumer that exhausts its retries moves the message to
/// "{queue}_error" (MassTransit's convention). Re-driving moves them back to the queue, unchanged.
/// </summary>
public sealed class FailedMessages(IOptions<RabbitMqOptions> options, ServiceIdentity service, ServiceQueues queues)
{
    public bool Owns(string queue) => queue.StartsWith($"{service.Name}-", StringComparison.Ordinal) && !queue.EndsWith("_error", StringComparison.Ordinal);

    public async Task<QueueState> InspectAsync(string queue, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var waiting = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
        var failed = await CountAsync(connection, $"{queue}_error", cancellationToken);
        return new QueueState(queue, waiting.MessageCount, failed);
    }

    /// <summary>Every queue of this service with its error queue and how many messages each holds (0 for one not declared yet).</summary>
    public async Task<IReadOnlyList<QueueCount>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        var list = new List<QueueCount>();
        foreach (var queue in queues.Names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            list.Add(new QueueCount(queue, "main", await CountAsync(connection, queue, cancellationToken)));
            list.Add(new QueueCount($"{queue}_error", "error", await CountAsync(connection, $"{queue}_error", cancellationToken)));
        }
        return list;
    }

    /// <summary>Moves up to <paramref name="max"/> messages from the error queue back to the queue; returns how many.</summary>
    public async Task<int> RedriveAsync(string queue, int max, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        var moved = 0;
        while (moved < max)
        {
            var message = await channel.BasicGetAsync($"{queue}_error", autoAck: false, cancellationToken);
            if (message is null)
            {
                break;
            }
            var properties = new BasicProperties(message.BasicProperties);
            // Published to the queue itself through the default exchange; confirmed before the error copy is acknowledged.
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, message.Body, cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            moved++;
        }
        return moved;
    }

    private static async Task<uint> CountAsync(IConnection connection, string queue, CancellationToken cancellationToken) =>
        await QueueProbe.MessagesAsync(connection, queue, cancellationToken) ?? 0;

    private Task<IConnection> ConnectAsync(CancellationToken cancellationToken) =>
        new ConnectionFactory { Uri = options.Value.Uri!, ClientProvidedName = $"{service.Name}-operations" }.CreateConnectionAsync(cancellationToken);
}

/// <summary>
/// Admin endpoints to see the service's queues, the outbox backlog and failed messages, and to re-drive them. They
/// live under the service's own API prefix (<c>/api/{service}/admin/messaging</c>), so the gateway routes them like
/// the rest of the service's API.
/// </summary>
internal sealed class MessagingOperationsApi(ServiceIdentity service) : IEndpointContributor
{
    public void Map(IEndpointRouteBuilder app) => app.MapMessagingAdmin($"/api/{service.Name}/admin/messaging", Policies.Admin);
}

public static class MessagingAdmin
{
    /// <summary>
    /// Maps the messaging admin under <paramref name="prefix"/> for <paramref name="policy"/>; without an outbox (identity
    /// publishes straight to the bus) only the queues.
    /// </summary>
    public static RouteGroupBuilder MapMessagingAdmin(this IEndpointRouteBuilder app, string prefix, string policy, bool withOutbox = true)
    {
        var group = app.MapGroup(prefix).RequireAuthorization(policy).WithTags("Operations");
        group.MapGet("/queues", QueuesAsync)
            .WithSummary("List the service's queues")
            .WithDescription("Admins only. Every queue this service consumes from, with its error queue, and how many messages wait in each.");
        if (withOutbox)
        {
            group.MapGet("/outbox", OutboxAsync)
                .WithSummary("Read the outbox backlog")
                .WithDescription("Admins only. How many integration events wait to be sent, the oldest of them, how many failed to send, and the last error.");
        }
        group.MapGet("/queues/{queue}", QueueAsync)
            .WithSummary("Inspect one queue")
            .WithDescription("Admins only. Messages waiting in the queue and in its error queue. 404 for a queue that is not this service's.");
        group.MapPost("/queues/{queue}/redrive", RedriveAsync)
            .WithSummary("Re-drive failed messages")
            .WithDescription("Admins only. Moves up to max (1 to 10000, default 1000) messages from the queue's error queue back into the queue.");
        return group;
    }

    private static async Task<Ok<IReadOnlyList<QueueCount>>> QueuesAsync(FailedMessages failed, CancellationToken ct) =>
        TypedResults.Ok(await failed.ListAsync(ct));

    private static async Task<Ok<OutboxState>> OutboxAsync(ServiceDatabase db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        const string sql = """
            SELECT COUNT(*) AS Unsent, MIN(created_at) AS OldestUnsent,
                   SUM(CASE WHEN last_error IS NULL THEN 0 ELSE 1 END) AS Failing
            FROM outbox_messages WHERE sent_at IS NULL
            """;
        var row = await connection.QuerySingleAsync<OutboxRow>(new CommandDefinition(sql, cancellationToken: ct));
        var lastError = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT last_error FROM outbox_messages WHERE sent_at IS NULL AND last_error IS NOT NULL ORDER BY id DESC LIMIT 1", cancellationToken: ct));
        return TypedResults.Ok(new OutboxState(row.Unsent, row.OldestUnsent, row.Failing ?? 0, lastError));
    }

    private static async Task<Results<Ok<QueueState>, NotFoundProblem>> QueueAsync(string queue, FailedMessages failed, CancellationToken ct) =>
        failed.Owns(queue) ? TypedResults.Ok(await failed.InspectAsync(queue, ct)) : NotOurs(queue);

    private static async Task<Results<Ok<RedriveResult>, NotFoundProblem, ValidationProblem>> RedriveAsync(string queue, int? max, FailedMessages failed, CancellationToken ct)
    {
        if (!failed.Owns(queue))
        {
            return NotOurs(queue);
        }
        if (max is < 1 or > 10_000)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["max"] = ["max must be between 1 and 10000."] });
        }
        var moved = await failed.RedriveAsync(queue, max ?? 1000, ct);
        return TypedResults.Ok(new RedriveResult(queue, moved));
    }

    private static NotFoundProblem NotOurs(string queue) =>
        new("Not a queue of this service.", $"'{queue}' is not one of this service's queues.");

    private sealed class OutboxRow
    {
        public long Unsent { get; init; }
        public DateTimeOffset? OldestUnsent { get; init; }
        public long? Failing { get; init; }
    }
}
