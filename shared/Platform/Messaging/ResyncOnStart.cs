using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace EmsAchse.Platform.Messaging;

/// <summary>A re-sync request a service sends at start: it publishes the request message in the given transaction.</summary>
public sealed record ResyncRequest(Func<WriteTransaction, string, Task> PublishAsync);

/// <summary>
/// Asks the owners of this service's read models at every start to publish their state again, so a
/// service that was down, started late or restored its database converges. Versions make the replay
/// harmless. It goes through the outbox, so the requests wait for the broker instead of being lost.
/// </summary>
public sealed class ResyncOnStart(IEnumerable<ResyncRequest> requests, ServiceDatabase db, ServiceIdentity service) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        db.WriteAsync(async tx =>
        {
            foreach (var request in requests)
            {
                await request.PublishAsync(tx, service.Name);
            }
        }, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class ResyncOnStartSetup
{
    /// <summary>Sends the request made by <paramref name="create"/> (from this service's name and the time) at every start.</summary>
    public static IServiceCollection AddResyncOnStart<TRequest>(this IServiceCollection services, Func<string, DateTimeOffset, TRequest> create)
        where TRequest : class
    {
        services.AddSingleton(new ResyncRequest((tx, requestedBy) => tx.PublishAsync($"resync/{requestedBy}", create(requestedBy, tx.Now))));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ResyncOnStart>());
        return services;
    }
}
