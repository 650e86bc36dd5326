using EmsAchse.Platform.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace EmsAchse.Platform.Messaging;

/// <summary>
/// Queues this service consumed from once and no longer does (<see cref="ServiceConsumers.Retire"/>): MassTransit
/// leaves a queue and its exchange bound to the message exchanges, so without this every event would pile up there
/// for ever. At start they are deleted with their exchanges; what they still held is not lost for the copies, because
/// the re-sync at start asks the owners for their state again. An error queue that still holds failed messages is
/// kept, with a warning, for an operator to look at.
/// </summary>
internal sealed class RetiredQueues(IOptions<RabbitMqOptions> options, ServiceIdentity service, RetiredQueueNames names, ILogger<RetiredQueues> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (names.Names.Count == 0)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RemoveAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Removing the retired queues failed; retrying in 10 s");
                await Task.Delay(TimeSpan.FromSeconds(10), stoppingToken);
            }
        }
    }

    private async Task RemoveAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = options.Value.Uri!, ClientProvidedName = $"{service.Name}-retired-queues" };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        foreach (var queue in names.Names)
        {
            var held = await QueueProbe.MessagesAsync(connection, queue, cancellationToken);
            if (held is null)
            {
                continue;
            }
            await using (var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken))
            {
                await channel.ExchangeDeleteAsync(queue, ifUnused: false, cancellationToken: cancellationToken);
                await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken);
            }
            logger.LogInformation("Removed the retired queue {Queue} with {Messages} messages; the re-sync refills what they held", queue, held);
            foreach (var side in new[] { $"{queue}_error", $"{queue}_skipped" })
            {
                var failed = await QueueProbe.MessagesAsync(connection, side, cancellationToken);
                if (failed is 0)
                {
                    await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
                    await channel.ExchangeDeleteAsync(side, ifUnused: false, cancellationToken: cancellationToken);
                    await channel.QueueDeleteAsync(side, ifUnused: false, ifEmpty: true, cancellationToken: cancellationToken);
                }
                else if (failed > 0)
                {
                    logger.LogWarning("The retired queue {Queue} still holds {Messages} messages; it is kept for an operator", side, failed);
                }
            }
        }
    }
}

/// <summary>The full names of the queues <see cref="RetiredQueues"/> removes.</summary>
internal sealed class RetiredQueueNames
{
    private readonly List<string> _names = [];

    public IReadOnlyList<string> Names => _names;

    internal void Add(string queue) => _names.Add(queue);
}
