extern alias networks;
extern alias members;
extern alias funding;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using EmsAchse.ReadModels;
using EmsAchse.TestSupport;
using EmsAchse.TestSupport.Containers;
using Xunit;

namespace EmsAchse.EndToEnd.Tests;

/// <summary>
/// A service that was not running when the catalogue (or memberships, or coverage) changed converges
/// through the re-sync it asks for at start. Its own broker: the late services' queues must not exist
/// before they start.
/// </summary>
public sealed class ResyncTests : IAsyncLifetime
{
    private readonly RabbitMqServer _broker = new();

    public Task InitializeAsync() => _broker.InitializeAsync();

    public Task DisposeAsync() => _broker.DisposeAsync();

    [Fact]
    public async Task services_started_after_the_catalogue_changed_catch_up_through_the_resync()
    {
        await using var networksHost = new ServiceHost<networks::Program>(SqliteFiles.NewDatabase("resync-networks"), _broker.AmqpUri);
        var admin = networksHost.ClientAs("admin");
        (await admin.PostAsJsonAsync(new Uri("/api/networks", UriKind.Relative), new { slug = "late-net", name = "Spätes Netz" })).EnsureSuccessStatusCode();
        var opened = await admin.PostAsJsonAsync(new Uri("/api/networks/late-net/sites", UriKind.Relative), new { name = "Meppen", town = "Meppen", district = "emsland", opened = "2025-01-01" });
        var siteId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        // Nobody listened: NetworkRegistered and SiteOpened reached no members or funding queue.

        await using var membersHost = new ServiceHost<members::Program>(SqliteFiles.NewDatabase("resync-members"), _broker.AmqpUri);
        await using var fundingHost = new ServiceHost<funding::Program>(SqliteFiles.NewDatabase("resync-funding"), _broker.AmqpUri);
        var applicant = membersHost.CreateClient();

        await Eventually.SucceedsAsync(async () =>
        {
            var applied = await applicant.PostAsJsonAsync(new Uri("/api/members/applications", UriKind.Relative), new
            {
                network = "late-net",
                organization = new { name = "Spätstarter GmbH", kind = "company", district = "emsland", town = "Meppen" },
            });
            Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        });
        await Eventually.SucceedsAsync(async () =>
        {
            var coverage = await fundingHost.CreateClient().GetAsync(new Uri($"/api/funding/sites/{siteId}/coverage", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, coverage.StatusCode);
        });
    }

    [Fact]
    public async Task networks_restored_from_a_backup_before_the_memberships_and_the_funding_catches_up_through_the_resync()
    {
        await using var membersHost = new ServiceHost<members::Program>(SqliteFiles.NewDatabase("resync-members"), _broker.AmqpUri);
        await using var fundingHost = new ServiceHost<funding::Program>(SqliteFiles.NewDatabase("resync-funding"), _broker.AmqpUri);
        var networksHost = new ServiceHost<networks::Program>(SqliteFiles.NewDatabase("resync-networks"), _broker.AmqpUri);
        foreach (var client in new[] { membersHost.CreateClient(), fundingHost.CreateClient(), networksHost.CreateClient() })
        {
            await Eventually.SucceedsAsync(async () => (await client.GetAsync(Url("/health/ready"))).EnsureSuccessStatusCode());
        }
        var admin = networksHost.ClientAs("admin");
        (await admin.PostAsJsonAsync(Url("/api/networks"), new { slug = "restored-net", name = "Wiederhergestelltes Netz" })).EnsureSuccessStatusCode();
        var opened = await admin.PostAsJsonAsync(Url("/api/networks/restored-net/sites"), new { name = "Lingen", town = "Lingen (Ems)", district = "emsland", opened = "2025-01-01" });
        var siteId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        // The backup holds the catalogue, but no member and no coverage yet.
        var backup = SqliteFiles.NewDatabase("resync-networks-backup");
        await BackUpAsync(networksHost, backup);

        var membersAdmin = membersHost.ClientAs("admin");
        var membershipId = Guid.Empty;
        var organizationId = Guid.Empty;
        await Eventually.SucceedsAsync(async () =>
        {
            var applied = await membersHost.CreateClient().PostAsJsonAsync(Url("/api/members/applications"), new
            {
                network = "restored-net",
                organization = new { name = "Emsland Werkstatt GmbH", kind = "company", district = "emsland", town = "Lingen (Ems)" },
            });
            Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
            var application = await applied.Content.ReadFromJsonAsync<JsonElement>();
            (membershipId, organizationId) = (application.GetProperty("id").GetGuid(), application.GetProperty("organizationId").GetGuid());
        });
        (await membersAdmin.PostAsync(Url($"/api/members/applications/{membershipId}/approve"), null)).EnsureSuccessStatusCode();
        (await membersAdmin.PutAsJsonAsync(Url($"/api/members/organizations/{organizationId}"), new { name = "Emsland Werkstatt AG", kind = "company", district = "emsland", town = "Lingen (Ems)" })).EnsureSuccessStatusCode();
        var funderId = Guid.NewGuid();
        await fundingHost.Services.GetRequiredService<ServiceDatabase>().WriteAsync(tx => tx.ExecuteAsync(
            "INSERT INTO funders (id, name, kind, district) VALUES (@funderId, 'Landkreis Emsland', 'district', 'emsland')", new { funderId }));
        await Eventually.SucceedsAsync(async () =>
        {
            var committed = await fundingHost.ClientAs("admin").PostAsJsonAsync(Url("/api/funding/commitments"), new { funderId, siteId, shareBasisPoints = 10000, validFrom = "2025-01-01" });
            Assert.Equal(HttpStatusCode.Created, committed.StatusCode);
        });
        // The running instance took every event off its queues.
        await Eventually.SucceedsAsync(async () => await AssertConvergedAsync(networksHost, siteId));
        await networksHost.DisposeAsync();

        // Restored from the backup: nothing waits in its queues, and nobody writes anything new.
        await using var restored = new ServiceHost<networks::Program>(backup, _broker.AmqpUri);
        await Eventually.SucceedsAsync(async () => await AssertConvergedAsync(restored, siteId));
    }

    [Fact]
    public async Task a_restarted_service_is_sent_only_what_changed_while_it_was_down_and_an_up_to_date_start_no_events_at_all()
    {
        await using var membersHost = new ServiceHost<members::Program>(SqliteFiles.NewDatabase("resync-members"), _broker.AmqpUri);
        var networksDatabase = SqliteFiles.NewDatabase("resync-networks");
        var networksHost = await StartNetworksAsync(networksDatabase);
        (await networksHost.ClientAs("admin").PostAsJsonAsync(Url("/api/networks"), new { slug = "incr-net", name = "Inkrementelles Netz" })).EnsureSuccessStatusCode();
        var membersAdmin = membersHost.ClientAs("admin");
        var memberships = new List<(Guid Membership, Guid Organization)>();
        foreach (var name in new[] { "Emsland Software GmbH", "Leer Logistik GmbH", "Papenburger Werft KG" })
        {
            await Eventually.SucceedsAsync(async () =>
            {
                var applied = await membersHost.CreateClient().PostAsJsonAsync(Url("/api/members/applications"), new
                {
                    network = "incr-net",
                    organization = new { name, kind = "company", district = "emsland", town = "Lingen (Ems)" },
                });
                Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
                var application = await applied.Content.ReadFromJsonAsync<JsonElement>();
                memberships.Add((application.GetProperty("id").GetGuid(), application.GetProperty("organizationId").GetGuid()));
            });
            (await membersAdmin.PostAsync(Url($"/api/members/applications/{memberships[^1].Membership}/approve"), null)).EnsureSuccessStatusCode();
        }
        await Eventually.SucceedsAsync(async () => Assert.Equal(3, await ActiveMembersAsync(networksHost)));
        // The first start's re-sync came before the memberships: the next one sends them (and their organisations) once.
        await networksHost.DisposeAsync();
        var first = await RestartAndCountResyncAsync(membersHost, networksDatabase);
        Assert.Equal((3, 3, 0), (first.Updated, first.Activated, first.Ended));

        // Up to date: the completion alone.
        var upToDate = await RestartAndCountResyncAsync(membersHost, networksDatabase);
        Assert.Equal((0, 0, 0), (upToDate.Updated, upToDate.Activated, upToDate.Ended));
        Assert.Equal(first.Watermark, upToDate.Watermark);

        // While it is down, one organisation is renamed and one membership ends: the restart is sent those two.
        var (_, renamed) = memberships[0];
        (await membersAdmin.PutAsJsonAsync(Url($"/api/members/organizations/{renamed}"), new { name = "Emsland Software AG", kind = "company", district = "emsland", town = "Lingen (Ems)" })).EnsureSuccessStatusCode();
        (await membersAdmin.PostAsync(Url($"/api/members/memberships/{memberships[1].Membership}/end"), null)).EnsureSuccessStatusCode();
        var changed = await RestartAndCountResyncAsync(membersHost, networksDatabase, async restarted =>
        {
            Assert.Equal(2, await ActiveMembersAsync(restarted));
            var names = (await restarted.CreateClient().GetFromJsonAsync<JsonElement>(Url("/api/networks/incr-net/members?status=active"))).GetProperty("items")
                .EnumerateArray().Select(m => m.GetProperty("organizationName").GetString());
            Assert.Contains("Emsland Software AG", names);
        });
        Assert.Equal((1, 0, 1), (changed.Updated, changed.Activated, changed.Ended));
        Assert.True(changed.Watermark > first.Watermark);
    }

    private sealed record ResyncCount(int Updated, int Activated, int Ended, long Watermark);

    /// <summary>
    /// Starts networks on its database, waits until members completed its re-sync and networks keeps the new watermark
    /// (and, if given, until <paramref name="converged"/> holds), stops it, and counts what the re-sync sent.
    /// </summary>
    private async Task<ResyncCount> RestartAndCountResyncAsync(ServiceHost<members::Program> members, string networksDatabase, Func<ServiceHost<networks::Program>, Task>? converged = null)
    {
        var membersDb = members.Services.GetRequiredService<ServiceDatabase>();
        Task<long> CountAsync(string type) => membersDb.WriteAsync(tx => tx.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM outbox_messages WHERE message_type LIKE @type", new { type = $"%.{type},%" }));
        var before = (Updated: await CountAsync("OrganizationUpdated"), Activated: await CountAsync("MembershipActivated"),
            Ended: await CountAsync("MembershipEnded"), Completed: await CountAsync("MembershipResyncCompleted"));

        await using var networksHost = await StartNetworksAsync(networksDatabase);
        long watermark = 0;
        await Eventually.SucceedsAsync(async () =>
        {
            Assert.Equal(before.Completed + 1, await CountAsync("MembershipResyncCompleted"));
            var completion = await membersDb.WriteAsync(tx => tx.ExecuteScalarAsync<string>(
                "SELECT body FROM outbox_messages WHERE message_type LIKE '%.MembershipResyncCompleted,%' ORDER BY id DESC LIMIT 1"));
            watermark = JsonSerializer.Deserialize<JsonElement>(completion!).GetProperty("watermark").GetInt64();
            var held = await networksHost.Services.GetRequiredService<ServiceDatabase>().WriteAsync(tx => ResyncWatermarks.ReadAsync(tx, NetworkMembersConsumer.ResyncOwner));
            Assert.Equal(watermark, held);
            if (converged is not null)
            {
                await converged(networksHost);
            }
        });
        return new ResyncCount(
            (int)(await CountAsync("OrganizationUpdated") - before.Updated),
            (int)(await CountAsync("MembershipActivated") - before.Activated),
            (int)(await CountAsync("MembershipEnded") - before.Ended),
            watermark);
    }

    private async Task<ServiceHost<networks::Program>> StartNetworksAsync(string database)
    {
        var host = new ServiceHost<networks::Program>(database, _broker.AmqpUri);
        var client = host.CreateClient();
        await Eventually.SucceedsAsync(async () => (await client.GetAsync(Url("/health/ready"))).EnsureSuccessStatusCode());
        return host;
    }

    private static async Task<int> ActiveMembersAsync(ServiceHost<networks::Program> networks) =>
        (await networks.CreateClient().GetFromJsonAsync<JsonElement>(Url("/api/networks/incr-net"))).GetProperty("activeMemberCount").GetInt32();

    private static async Task AssertConvergedAsync(ServiceHost<networks::Program> networks, Guid siteId)
    {
        var client = networks.CreateClient();
        var network = await client.GetFromJsonAsync<JsonElement>(Url("/api/networks/restored-net"));
        Assert.Equal(1, network.GetProperty("activeMemberCount").GetInt32());
        var site = Assert.Single(network.GetProperty("sites").EnumerateArray());
        Assert.Equal(siteId, site.GetProperty("id").GetGuid());
        Assert.Equal(10000, site.GetProperty("fundingCoverageBasisPoints").GetInt32());
        var member = Assert.Single((await client.GetFromJsonAsync<JsonElement>(Url("/api/networks/restored-net/members"))).GetProperty("items").EnumerateArray());
        Assert.Equal("Emsland Werkstatt AG", member.GetProperty("organizationName").GetString());
    }

    /// <summary>A consistent copy of the running service's SQLite database, as a backup is.</summary>
    private static async Task BackUpAsync(ServiceHost<networks::Program> networks, string backupConnectionString)
    {
        await using var connection = await networks.Services.GetRequiredService<ServiceDatabase>().OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "VACUUM INTO @path";
        var path = command.CreateParameter();
        path.ParameterName = "@path";
        path.Value = backupConnectionString["Data Source=".Length..];
        command.Parameters.Add(path);
        await command.ExecuteNonQueryAsync();
    }

    private static Uri Url(string path) => new(path, UriKind.Relative);
}
