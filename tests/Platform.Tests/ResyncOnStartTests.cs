using Dapper;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace EmsAchse.Platform.Tests;

[Collection(PlatformCollection.Name)]
public sealed class ResyncOnStartTests(PlatformServers servers)
{
    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task every_resync_request_a_service_names_is_written_to_its_outbox_at_start(DatabaseEngine engine)
    {
        var service = $"resync-{engine}".ToLowerInvariant();
        // Without the dispatcher the requests stay in the outbox, where they wait for the broker.
        var host = await TestHost.StartAsync(await servers.NewDatabaseAsync(engine), servers.RabbitMq.AmqpUri, service, dispatcher: false, services: s => s
            .AddResyncOnStart((requestedBy, _) => new ProbeHappened(requestedBy, 1, "catalogue, please"))
            .AddResyncOnStart((requestedBy, _) => new ProbeHappened(requestedBy, 2, "memberships, please")));

        Assert.Single(host.Services.GetServices<IHostedService>().OfType<ResyncOnStart>());
        await using var connection = await host.Services.GetRequiredService<ServiceDatabase>().OpenAsync();
        var requests = (await connection.QueryAsync<string>("SELECT aggregate_id FROM outbox_messages ORDER BY id")).ToList();
        Assert.Equal([$"resync/{service}", $"resync/{service}"], requests);
        var bodies = string.Join(" ", await connection.QueryAsync<string>("SELECT body FROM outbox_messages"));
        Assert.Contains("catalogue, please", bodies);
        Assert.Contains("memberships, please", bodies);
        await host.ShutdownAsync();
    }
}
