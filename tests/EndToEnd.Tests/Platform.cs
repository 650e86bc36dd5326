extern alias networks;
extern alias members;
extern alias funding;

using System.Net.Http.Headers;
using EmsAchse.Platform.Hosting;
using EmsAchse.TestSupport;
using EmsAchse.TestSupport.Containers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace EmsAchse.EndToEnd.Tests;

/// <summary>The three services on one broker, each with its own SQLite database.</summary>
public sealed class ThreeServices : IAsyncLifetime
{
    private readonly RabbitMqServer _broker = new();

    public ServiceHost<members::Program> Members { get; private set; } = null!;
    public ServiceHost<funding::Program> Funding { get; private set; } = null!;
    public ServiceHost<networks::Program> Networks { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _broker.InitializeAsync();
        // Consumers first, so that their queues exist before the networks service announces anything.
        Members = new ServiceHost<members::Program>(SqliteFiles.NewDatabase("members"), _broker.AmqpUri);
        Funding = new ServiceHost<funding::Program>(SqliteFiles.NewDatabase("funding"), _broker.AmqpUri);
        Networks = new ServiceHost<networks::Program>(SqliteFiles.NewDatabase("networks"), _broker.AmqpUri);
        foreach (var client in new[] { Members.CreateClient(), Funding.CreateClient(), Networks.CreateClient() })
        {
            await Eventually.SucceedsAsync(async () => (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).EnsureSuccessStatusCode());
        }
    }

    public async Task DisposeAsync()
    {
        await Networks.DisposeAsync();
        await Funding.DisposeAsync();
        await Members.DisposeAsync();
        await _broker.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ThreeServicesCollection : ICollectionFixture<ThreeServices>
{
    public const string Name = "three services";
}
