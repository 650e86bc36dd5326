using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace EmsAchse.Platform.Messaging;

/// <summary>A re-sync request a service sends at start: it publishes the request message in the given transaction.</summary>
public sealed record ResyncRequest(Func<WriteTransaction, string, Task> PublishAsync)
{
    /// <summary>The outbox's aggregate for one asker's re-sync: its requests and the owner's pages stay in order.</summary>
    public static string Conversation(string requestedBy) => $"resync/{requestedBy}";
}

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

/// <summary>
/// Per owner, the change sequence up to which this service's copies are complete: the watermark of the owner's last
/// completed re-sync, kept in table <c>resync_watermarks</c>.
/// </summary>
public static class ResyncWatermarks
{
    /// <summary>Set to <c>true</c> (e.g. <c>Messaging__Resync__Full=true</c>) for one start after restoring this service's database: every owner sends everything.</summary>
    public const string FullSetting = "Messaging:Resync:Full";

    public static Task<long?> ReadAsync(WriteTransaction tx, string owner) =>
        tx.ExecuteScalarAsync<long?>("SELECT watermark FROM resync_watermarks WHERE owner = @owner", new { owner });

    /// <summary>The owner's latest completed re-sync wins, also a lower one: the owner restored its database and counts from there.</summary>
    public static Task SaveAsync(WriteTransaction tx, string owner, long watermark, DateTimeOffset completedAt) =>
        tx.ExecuteAsync(
            """
            INSERT INTO resync_watermarks (owner, watermark, completed_at) VALUES (@owner, @watermark, @completedAt)
            ON CONFLICT (owner) DO UPDATE SET watermark = excluded.watermark, completed_at = excluded.completed_at
            """,
            new { owner, watermark, completedAt });
}

public static class ResyncOnStartSetup
{
    /// <summary>Sends the request made by <paramref name="create"/> (from this service's name and the time) at every start.</summary>
    public static IServiceCollection AddResyncOnStart<TRequest>(this IServiceCollection services, Func<string, DateTimeOffset, TRequest> create)
        where TRequest : class
    {
        services.AddSingleton(new ResyncRequest((tx, requestedBy) => tx.PublishAsync(ResyncRequest.Conversation(requestedBy), create(requestedBy, tx.Now))));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ResyncOnStart>());
        return services;
    }

    /// <summary>
    /// Sends the request made by <paramref name="create"/> at every start with the watermark held for
    /// <paramref name="owner"/> (<see cref="ResyncWatermarks"/>): null, a full rebuild, when there is none yet or
    /// <see cref="ResyncWatermarks.FullSetting"/> is on.
    /// </summary>
    public static IServiceCollection AddIncrementalResyncOnStart<TRequest>(this IServiceCollection services, string owner, Func<string, DateTimeOffset, long?, TRequest> create)
        where TRequest : class
    {
        services.AddSingleton(provider =>
        {
            var full = provider.GetRequiredService<IConfiguration>().GetValue<bool>(ResyncWatermarks.FullSetting);
            return new ResyncRequest(async (tx, requestedBy) =>
            {
                var after = full ? null : await ResyncWatermarks.ReadAsync(tx, owner);
                await tx.PublishAsync(ResyncRequest.Conversation(requestedBy), create(requestedBy, tx.Now, after));
            });
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ResyncOnStart>());
        return services;
    }
}
