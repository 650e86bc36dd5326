using Testcontainers.RabbitMq;
using Xunit;

namespace EmsAchse.TestSupport.Containers;

/// <summary>
/// A RabbitMQ broker for integration tests, meant as an xUnit collection fixture (one broker shared
/// by a collection). Uses the existing broker named by <c>EMSACHSE_TEST_RABBITMQ</c> (an AMQP URI)
/// if set; otherwise starts a throwaway container from <c>EMSACHSE_TEST_RABBITMQ_IMAGE</c> (set by
/// tests/run.sh to the locally built image), or the official image when that is unset too.
/// </summary>
public sealed class RabbitMqServer : IAsyncLifetime
{
    /// <summary>Environment variable with the AMQP URI of an existing broker to use instead of a container.</summary>
    public const string ExistingServerVariable = "EMSACHSE_TEST_RABBITMQ";

    /// <summary>Environment variable with the image to start when no existing broker is configured.</summary>
    public const string ImageVariable = "EMSACHSE_TEST_RABBITMQ_IMAGE";

    /// <summary>The image used when neither variable is set.</summary>
    public const string DefaultImage = "rabbitmq:3.13.7-management";

    private RabbitMqContainer? _container;
    private Uri? _amqpUri;

    /// <summary>The broker's address with credentials, e.g. <c>amqp://rabbitmq:rabbitmq@127.0.0.1:32768/</c>.</summary>
    public Uri AmqpUri => _amqpUri ?? throw new InvalidOperationException("The RabbitMQ server has not been started (InitializeAsync).");

    public async Task InitializeAsync()
    {
        var existing = Environment.GetEnvironmentVariable(ExistingServerVariable);
        if (!string.IsNullOrWhiteSpace(existing))
        {
            _amqpUri = new Uri(existing.Trim());
            Console.WriteLine($"[TestSupport] RabbitMQ: existing server from {ExistingServerVariable} ({_amqpUri.Host}:{_amqpUri.Port})");
            return;
        }

        var image = Environment.GetEnvironmentVariable(ImageVariable);
        image = string.IsNullOrWhiteSpace(image) ? DefaultImage : image.Trim();
        Console.WriteLine($"[TestSupport] RabbitMQ: starting a container from image {image}");

        TestSessions.Record();
        _container = new RabbitMqBuilder(image).Build();
        await _container.StartAsync();
        _amqpUri = new Uri(_container.GetConnectionString());
    }

    public async Task DisposeAsync()
    {
        // Removes the container (Testcontainers' Ryuk reaper is disabled by tests/run.sh).
        if (_container is not null)
        {
            await _container.DisposeAsync();
            _container = null;
        }
    }
}
