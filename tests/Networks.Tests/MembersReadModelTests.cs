using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using EmsAchse.Contracts.Funding;
using EmsAchse.Contracts.Members;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using EmsAchse.ReadModels;
using EmsAchse.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static EmsAchse.Networks.Tests.TestApi;

namespace EmsAchse.Networks.Tests;

/// <summary>
/// The member read model fed by the members service's events, published on the real broker: the
/// count and the member list stay right under redelivery, reordering and replay.
/// </summary>
[Collection(NetworksCollection.Name)]
public sealed class MembersReadModelTests(NetworksServers servers)
{
    private static readonly DateOnly Since = new(2025, 3, 1);

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_membership_activated_raises_the_count_and_the_same_message_redelivered_does_not_raise_it_twice(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await using var bus = await ConnectedBus.StartAsync(host);
        await host.RegisterAsync("it-achse", "IT-Achse");
        var activated = Activated(Guid.NewGuid(), Guid.NewGuid(), "Emsland Software GmbH", version: 2);
        var messageId = Guid.NewGuid();

        await bus.PublishAsync(activated, messageId);
        await bus.PublishAsync(activated, messageId);
        await bus.WaitForConsumedAsync(messageId, times: 2);

        var network = await host.ReadAsync("/api/networks/it-achse");
        Assert.Equal(1, network.GetProperty("activeMemberCount").GetInt32());
        var members = await host.ReadAsync("/api/networks/it-achse/members");
        Assert.Equal(1, members.GetProperty("total").GetInt32());
        var member = members.GetProperty("items")[0];
        Assert.Equal("Emsland Software GmbH", member.GetProperty("organizationName").GetString());
        Assert.Equal("emsland", member.GetProperty("region").GetString());
        Assert.Equal("2025-03-01", member.GetProperty("since").GetString());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task an_older_version_arriving_after_a_newer_one_changes_nothing_and_an_ended_membership_lowers_the_count(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await using var bus = await ConnectedBus.StartAsync(host);
        await host.RegisterAsync("it-achse", "IT-Achse");
        var membershipId = Guid.NewGuid();
        var organizationId = Guid.NewGuid();
        var stays = Activated(Guid.NewGuid(), Guid.NewGuid(), "Hochschule Emden/Leer", version: 2);
        await bus.PublishAndWaitAsync(stays);
        await bus.PublishAndWaitAsync(Activated(membershipId, organizationId, "Leer Logistik AG", version: 2));
        Assert.Equal(2, (await host.ReadAsync("/api/networks/it-achse")).GetProperty("activeMemberCount").GetInt32());

        await bus.PublishAndWaitAsync(Ended(membershipId, organizationId, "Leer Logistik AG", version: 3));
        Assert.Equal(1, (await host.ReadAsync("/api/networks/it-achse")).GetProperty("activeMemberCount").GetInt32());

        // The activation arrives again late (reordered, or replayed with a new message id): version 2 < 3.
        await bus.PublishAndWaitAsync(Activated(membershipId, organizationId, "Leer Logistik AG", version: 2));

        Assert.Equal(1, (await host.ReadAsync("/api/networks/it-achse")).GetProperty("activeMemberCount").GetInt32());
        var active = await host.ReadAsync("/api/networks/it-achse/members?status=active");
        Assert.Equal(["Hochschule Emden/Leer"], active.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("organizationName").GetString()));
        var ended = await host.ReadAsync("/api/networks/it-achse/members?status=ended");
        Assert.Equal("2025-12-31", ended.GetProperty("items")[0].GetProperty("until").GetString());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task the_member_list_is_paged_and_validated(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await using var bus = await ConnectedBus.StartAsync(host);
        await host.RegisterAsync("it-achse", "IT-Achse");
        foreach (var name in new[] { "C GmbH", "A GmbH", "B GmbH" })
        {
            await bus.PublishAndWaitAsync(Activated(Guid.NewGuid(), Guid.NewGuid(), name, version: 2));
        }

        var page = await host.ReadAsync("/api/networks/it-achse/members?page=2&pageSize=2");

        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal(2, page.GetProperty("page").GetInt32());
        Assert.Equal(["C GmbH"], page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("organizationName").GetString()));
        await AssertFieldErrorAsync(await host.CreateClient().GetAsync(Path("/api/networks/it-achse/members?pageSize=500")), "pageSize");
        await AssertFieldErrorAsync(await host.CreateClient().GetAsync(Path("/api/networks/it-achse/members?status=applied")), "status");
        await AssertProblemAsync(await host.CreateClient().GetAsync(Path("/api/networks/nope/members")), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_renamed_organisation_is_renamed_in_every_network_it_belongs_to_and_a_redelivered_older_rename_changes_nothing(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await using var bus = await ConnectedBus.StartAsync(host);
        await host.RegisterAsync("it-achse", "IT-Achse");
        await host.RegisterAsync("mema", "MEMA");
        var organizationId = Guid.NewGuid();
        await bus.PublishAndWaitAsync(Activated(Guid.NewGuid(), organizationId, "Emsland Software GmbH", version: 2));
        await bus.PublishAndWaitAsync(Activated(Guid.NewGuid(), organizationId, "Emsland Software GmbH", version: 2) with { Network = "mema" });
        await bus.PublishAndWaitAsync(Activated(Guid.NewGuid(), Guid.NewGuid(), "Hochschule Emden/Leer", version: 2));
        var renamed = Updated(organizationId, "Ostfriesland Software e.V.", version: 2, kind: "association", district: "leer");
        var messageId = Guid.NewGuid();

        await bus.PublishAsync(renamed, messageId);
        await bus.PublishAsync(renamed, messageId);
        await bus.WaitForConsumedAsync(messageId, times: 2);

        foreach (var slug in new[] { "it-achse", "mema" })
        {
            var member = Assert.Single((await host.ReadAsync($"/api/networks/{slug}/members")).GetProperty("items").EnumerateArray(), m => m.GetProperty("organizationId").GetGuid() == organizationId);
            Assert.Equal("Ostfriesland Software e.V.", member.GetProperty("organizationName").GetString());
            Assert.Equal("association", member.GetProperty("organizationKind").GetString());
            Assert.Equal("leer", member.GetProperty("district").GetString());
            Assert.Equal("ostfriesland", member.GetProperty("region").GetString());
        }
        Assert.Equal(2, (await host.ReadAsync("/api/networks/it-achse")).GetProperty("activeMemberCount").GetInt32());

        await bus.PublishAndWaitAsync(Updated(organizationId, "Ostfriesland Software SE", version: 3, kind: "company", district: "leer"));
        // The version-2 rename again: redelivered (same message id) and replayed (new message id).
        await bus.PublishAsync(renamed, messageId);
        await bus.PublishAndWaitAsync(renamed);
        await bus.WaitForConsumedAsync(messageId, times: 3);

        var names = (await host.ReadAsync("/api/networks/it-achse/members")).GetProperty("items").EnumerateArray().Select(m => m.GetProperty("organizationName").GetString());
        Assert.Equal(["Hochschule Emden/Leer", "Ostfriesland Software SE"], names);
        var inMema = (await host.ReadAsync("/api/networks/mema/members")).GetProperty("items")[0];
        Assert.Equal("Ostfriesland Software SE", inMema.GetProperty("organizationName").GetString());
        Assert.Equal("company", inMema.GetProperty("organizationKind").GetString());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_membership_event_carrying_the_name_before_a_rename_does_not_bring_the_old_name_back(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await using var bus = await ConnectedBus.StartAsync(host);
        await host.RegisterAsync("it-achse", "IT-Achse");
        var membershipId = Guid.NewGuid();
        var organizationId = Guid.NewGuid();

        // Activated before the rename, but delivered after it: the two events are ordered by different aggregates.
        await bus.PublishAndWaitAsync(Updated(organizationId, "Leer Logistik AG", version: 2));
        await bus.PublishAndWaitAsync(Activated(membershipId, organizationId, "Leer Logistik GmbH", version: 2));

        var active = (await host.ReadAsync("/api/networks/it-achse/members")).GetProperty("items")[0];
        Assert.Equal("Leer Logistik AG", active.GetProperty("organizationName").GetString());

        await bus.PublishAndWaitAsync(Ended(membershipId, organizationId, "Leer Logistik GmbH", version: 3));

        var ended = (await host.ReadAsync("/api/networks/it-achse/members?status=ended")).GetProperty("items")[0];
        Assert.Equal("Leer Logistik AG", ended.GetProperty("organizationName").GetString());
        Assert.Equal(0, (await host.ReadAsync("/api/networks/it-achse")).GetProperty("activeMemberCount").GetInt32());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_resync_replaying_the_versions_held_changes_neither_the_member_list_nor_the_coverage(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await using var bus = await ConnectedBus.StartAsync(host);
        await host.RegisterAsync("it-achse", "IT-Achse");
        var site = await host.OpenSiteAsync("it-achse", "Lingen");
        var organizationId = Guid.NewGuid();
        var activated = Activated(Guid.NewGuid(), organizationId, "Leer Logistik GmbH", version: 2);
        var renamed = Updated(organizationId, "Leer Logistik AG", version: 3);
        var funded = new SiteFundingChanged(site, "it-achse", new DateOnly(2025, 3, 1), 7500, "partial", 2, DateTimeOffset.UtcNow);
        await bus.PublishAndWaitAsync(activated);
        await bus.PublishAndWaitAsync(renamed);
        await bus.PublishAndWaitAsync(funded);
        var network = await host.SnapshotAsync("/api/networks/it-achse");
        var members = await host.SnapshotAsync("/api/networks/it-achse/members");
        Assert.Contains("Leer Logistik AG", members);
        Assert.Equal(7500, (await host.ReadAsync("/api/networks/it-achse")).GetProperty("sites")[0].GetProperty("fundingCoverageBasisPoints").GetInt32());

        // What the owners' re-sync sends: the versions held again, as new messages the inbox does not drop.
        await bus.PublishAndWaitAsync(renamed with { OccurredAt = DateTimeOffset.UtcNow });
        await bus.PublishAndWaitAsync(activated with { OccurredAt = DateTimeOffset.UtcNow });
        await bus.PublishAndWaitAsync(funded with { OccurredAt = DateTimeOffset.UtcNow });

        Assert.Equal(network, await host.SnapshotAsync("/api/networks/it-achse"));
        Assert.Equal(members, await host.SnapshotAsync("/api/networks/it-achse/members"));
        Assert.Equal(1, (await host.ReadAsync("/api/networks/it-achse")).GetProperty("activeMemberCount").GetInt32());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task the_member_list_keeps_the_status_the_event_carries(DatabaseEngine engine)
    {
        await using var host = await servers.StartAsync(engine);
        await using var bus = await ConnectedBus.StartAsync(host);
        await host.RegisterAsync("it-achse", "IT-Achse");
        var counted = Activated(Guid.NewGuid(), Guid.NewGuid(), "Emsland Software GmbH", version: 2);

        await bus.PublishAndWaitAsync(counted);
        await bus.PublishAndWaitAsync(Activated(Guid.NewGuid(), Guid.NewGuid(), "Leer Logistik AG", version: 2) with { Status = "suspended" });

        Assert.Equal(1, (await host.ReadAsync("/api/networks/it-achse")).GetProperty("activeMemberCount").GetInt32());
        var active = await host.ReadAsync("/api/networks/it-achse/members?status=active");
        Assert.Equal(["Emsland Software GmbH"], active.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("organizationName").GetString()));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task the_copy_keeps_the_watermark_of_its_own_completed_resync_and_the_next_start_asks_only_for_what_is_newer(DatabaseEngine engine)
    {
        var database = await servers.NewDatabaseAsync(engine);
        await using (var first = await servers.StartOnAsync(database))
        {
            // Nothing held yet: the first start asks for everything.
            Assert.Equal([null], await MembershipResyncAftersAsync(first));
            await using var bus = await ConnectedBus.StartAsync(first);
            await bus.PublishAndWaitAsync(new MembershipResyncCompleted("networks", 42, DateTimeOffset.UtcNow));
            // Funding's re-sync says nothing about this copy.
            await bus.PublishAndWaitAsync(new MembershipResyncCompleted("funding", 99, DateTimeOffset.UtcNow));
            Assert.Equal(42, await WatermarkAsync(first));
        }

        await using (var restarted = await servers.StartOnAsync(database))
        {
            Assert.Equal([null, 42], await MembershipResyncAftersAsync(restarted));
        }

        // After restoring the database from a backup: one start with the full re-sync asks for everything again.
        await using var rebuilt = await servers.StartOnAsync(database, new Dictionary<string, string> { [ResyncWatermarks.FullSetting] = "true" });
        Assert.Equal([null, 42, null], await MembershipResyncAftersAsync(rebuilt));
    }

    /// <summary>The watermark (<c>after</c>) of every membership re-sync request the service sent, oldest first.</summary>
    private static async Task<long?[]> MembershipResyncAftersAsync(ServiceHost<Program> host)
    {
        var bodies = await host.Services.GetRequiredService<ServiceDatabase>().WriteAsync(tx => tx.QueryAsync<string>(
            "SELECT body FROM outbox_messages WHERE message_type LIKE '%.MembershipResyncRequested,%' ORDER BY id"));
        return [.. bodies.Select(b => JsonSerializer.Deserialize<JsonElement>(b).GetProperty("after") is { ValueKind: JsonValueKind.Number } after ? after.GetInt64() : (long?)null)];
    }

    private static Task<long?> WatermarkAsync(ServiceHost<Program> host) =>
        host.Services.GetRequiredService<ServiceDatabase>().WriteAsync(tx => ResyncWatermarks.ReadAsync(tx, NetworkMembersConsumer.ResyncOwner));

    private static MembershipActivated Activated(Guid membershipId, Guid organizationId, string name, long version) =>
        new(membershipId, organizationId, name, "company", "emsland", "it-achse", "active", Since, null, version, DateTimeOffset.UtcNow);

    private static MembershipEnded Ended(Guid membershipId, Guid organizationId, string name, long version) =>
        new(membershipId, organizationId, name, "company", "emsland", "it-achse", "ended", Since, new DateOnly(2025, 12, 31), version, DateTimeOffset.UtcNow);

    private static OrganizationUpdated Updated(Guid organizationId, string name, long version, string kind = "company", string district = "emsland") =>
        new(organizationId, name, kind, district, version, DateTimeOffset.UtcNow);

    /// <summary>The service's own bus, watched: a test knows when the service has consumed a message it published.</summary>
    private sealed class ConnectedBus : IConsumeObserver, IAsyncDisposable
    {
        private readonly ConcurrentDictionary<Guid, int> _consumed = new();
        private readonly ConcurrentBag<string> _faults = [];
        private readonly IBus _bus;
        private readonly ConnectHandle _handle;

        private ConnectedBus(IBus bus)
        {
            _bus = bus;
            _handle = bus.ConnectConsumeObserver(this);
        }

        public static async Task<ConnectedBus> StartAsync(ServiceHost<Program> host)
        {
            var client = host.CreateClient();
            // Ready means the bus is connected and this service's queues are bound.
            await Eventually.SucceedsAsync(async () => Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Path("/health/ready"))).StatusCode));
            return new ConnectedBus(host.Services.GetRequiredService<IBus>());
        }

        public Task PublishAsync<T>(T message, Guid messageId)
            where T : class =>
            _bus.Publish(message, context => context.MessageId = messageId);

        public async Task PublishAndWaitAsync<T>(T message)
            where T : class
        {
            var messageId = Guid.NewGuid();
            await PublishAsync(message, messageId);
            await WaitForConsumedAsync(messageId, times: 1);
        }

        public Task WaitForConsumedAsync(Guid messageId, int times) =>
            Eventually.SucceedsAsync(() =>
            {
                Assert.True(_consumed.TryGetValue(messageId, out var count) && count >= times, $"message {messageId} consumed {count} of {times} times; faults: {string.Join("; ", _faults)}");
                return Task.CompletedTask;
            });

        public Task PreConsume<T>(ConsumeContext<T> context)
            where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context)
            where T : class
        {
            if (context.MessageId is { } id)
            {
                _consumed.AddOrUpdate(id, 1, (_, n) => n + 1);
            }
            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
            where T : class
        {
            _faults.Add($"{typeof(T).Name} {context.MessageId}: {exception.Message}");
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            _handle.Disconnect();
            return ValueTask.CompletedTask;
        }
    }
}
