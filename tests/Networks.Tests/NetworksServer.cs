using EmsAchse.Platform.Persistence;
using EmsAchse.TestSupport;
using EmsAchse.TestSupport.Containers;
using Xunit;

namespace EmsAchse.Networks.Tests;

/// <summary>The real broker and PostgreSQL server, shared by the collection; a fresh service and database per test.</summary>
public sealed class NetworksServers : IAsyncLifetime
{
    public RabbitMqServer RabbitMq { get; } = new();
    public PostgresServer Postgres { get; } = new();

    public Task InitializeAsync() => Task.WhenAll(RabbitMq.InitializeAsync(), Postgres.InitializeAsync());

    public async Task DisposeAsync()
    {
        await RabbitMq.DisposeAsync();
        await Postgres.DisposeAsync();
    }

    public async Task<ServiceHost<Program>> StartAsync(DatabaseEngine engine) => await StartOnAsync(await NewDatabaseAsync(engine));

    /// <summary>The connection string of a new, empty database.</summary>
    public async Task<string> NewDatabaseAsync(DatabaseEngine engine) =>
        engine == DatabaseEngine.Postgres ? await Postgres.CreateDatabaseAsync("networks") : SqliteFiles.NewDatabase("networks");

    /// <summary>A service on the given database (a restart, when an earlier one used it), with settings over its own.</summary>
    public async Task<ServiceHost<Program>> StartOnAsync(string database, IReadOnlyDictionary<string, string>? settings = null)
    {
        var host = new ServiceHost<Program>(database, RabbitMq.AmqpUri) { Settings = settings ?? new Dictionary<string, string>() };
        _ = host.Server; // starts the host: migrations run now
        // The bus starts in the background; a host disposed before its bus is up cannot stop it, and
        // the orphaned bus would keep consuming from the shared queues. Ready means the bus is up.
        var client = host.CreateClient();
        await Eventually.SucceedsAsync(async () => (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).EnsureSuccessStatusCode());
        return host;
    }
}

[CollectionDefinition(Name)]
public sealed class NetworksCollection : ICollectionFixture<NetworksServers>
{
    public const string Name = "networks";
}
