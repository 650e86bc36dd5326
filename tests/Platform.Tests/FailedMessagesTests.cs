using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EmsAchse.Platform.Tests;

/// <summary>Fails while told to, as a consumer does whose dependency is down.</summary>
public sealed class FlakyConsumer(Deliveries deliveries) : IConsumer<ProbeHappened>
{
    private static volatile bool _failing = true;

    public static bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

    public Task Consume(ConsumeContext<ProbeHappened> context)
    {
        if (_failing)
        {
            throw new InvalidOperationException("dependency down");
        }
        deliveries.Received.Enqueue((context.MessageId!.Value, context.Message));
        return Task.CompletedTask;
    }
}

[Collection(PlatformCollection.Name)]
public sealed class FailedMessagesTests(PlatformServers servers)
{
    [Fact]
    public async Task a_message_that_exhausts_its_retries_lands_in_the_error_queue_and_can_be_redriven()
    {
        FlakyConsumer.Failing = true;
        var deliveries = new Deliveries();
        var host = await TestHost.StartAsync(await servers.NewDatabaseAsync(DatabaseEngine.Sqlite), servers.RabbitMq.AmqpUri, "redrive", x => x.Add<FlakyConsumer>("flaky"), deliveries: deliveries);
        var failed = host.Services.GetRequiredService<FailedMessages>();
        var queue = new KebabCaseEndpointNameFormatter("redrive", false).Consumer<FlakyConsumer>();
        var marker = Guid.NewGuid().ToString();

        await host.Services.GetRequiredService<IBus>().Publish(new ProbeHappened(marker, 1, "fails first"));
        var state = await WaitForAsync(() => failed.InspectAsync(queue, CancellationToken.None), s => s.Failed == 1);
        Assert.Empty(deliveries.Received);
        Assert.Equal(0u, state.Waiting);

        FlakyConsumer.Failing = false;
        var moved = await failed.RedriveAsync(queue, 100, CancellationToken.None);
        await deliveries.WaitForAsync(1, TimeSpan.FromSeconds(30));

        Assert.Equal(1, moved);
        Assert.Equal(marker, Assert.Single(deliveries.Received).Message.AggregateId);
        Assert.Equal(0u, (await failed.InspectAsync(queue, CancellationToken.None)).Failed);
        Assert.False(failed.Owns("networks-site-opened"));
        Assert.False(failed.Owns($"{queue}_error"));
        await host.ShutdownAsync();
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        var value = await probe();
        while (!done(value) && DateTime.UtcNow < until)
        {
            await Task.Delay(200);
            value = await probe();
        }
        return value;
    }
}
