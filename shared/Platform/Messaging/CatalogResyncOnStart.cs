using EmsAchse.Contracts.Networks;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using Microsoft.Extensions.Hosting;

namespace EmsAchse.Platform.Messaging;

/// <summary>
/// Asks the networks service at every start to publish its catalogue again, so a service that was
/// down, started late or restored its database converges. Versions make the replay harmless. It goes
/// through the outbox, so the request waits for the broker instead of being lost.
/// </summary>
public sealed class CatalogResyncOnStart(ServiceDatabase db, ServiceIdentity service, TimeProvider clock) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        db.WriteAsync(tx => tx.PublishAsync($"resync/{service.Name}", new NetworkCatalogResyncRequested(service.Name, clock.GetUtcNow())), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
