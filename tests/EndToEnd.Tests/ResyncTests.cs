extern alias networks;
extern alias members;
extern alias funding;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using EmsAchse.Platform.Persistence;
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
