using System.Text;
using EmsAchse.TestSupport.Containers;
using RabbitMQ.Client;
using Xunit;

namespace EmsAchse.Infrastructure.Tests;

[Collection(RabbitMqCollection.Name)]
public sealed class RabbitMqServerTests(RabbitMqServer server)
{
    [Fact]
    public void Amqp_uri_names_an_amqp_endpoint_with_credentials()
    {
        Assert.Equal("amqp", server.AmqpUri.Scheme);
        Assert.True(server.AmqpUri.Port > 0);
        Assert.Contains(":", server.AmqpUri.UserInfo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broker_accepts_a_connection_and_routes_a_message_through_a_queue()
    {
        var factory = new ConnectionFactory { Uri = server.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();

        var queue = await channel.QueueDeclareAsync(
            queue: $"infrastructure-tests-{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true);
        var body = Encoding.UTF8.GetBytes("hello broker");
        await channel.BasicPublishAsync(exchange: string.Empty, routingKey: queue.QueueName, body: body);

        // A publish to the default exchange is routed asynchronously; poll briefly for the message.
        BasicGetResult? received = null;
        for (var attempt = 0; attempt < 50 && received is null; attempt++)
        {
            received = await channel.BasicGetAsync(queue.QueueName, autoAck: true);
            if (received is null)
            {
                await Task.Delay(100);
            }
        }

        Assert.NotNull(received);
        Assert.Equal("hello broker", Encoding.UTF8.GetString(received.Body.Span));
    }

    [Fact]
    public async Task Broker_serves_several_connections_at_once()
    {
        var factory = new ConnectionFactory { Uri = server.AmqpUri };
        var connections = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => factory.CreateConnectionAsync()));
        try
        {
            Assert.All(connections, c => Assert.True(c.IsOpen));
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
