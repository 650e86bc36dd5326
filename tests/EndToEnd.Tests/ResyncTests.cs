extern alias networks;
extern alias members;
extern alias funding;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.TestSupport;
using EmsAchse.TestSupport.Containers;
using Xunit;

namespace EmsAchse.EndToEnd.Tests;

/// <summary>
/// A service that was not running when the catalogue changed converges through the re-sync it asks
/// for at start. Its own broker: the late services' queues must not exist before they start.
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
}
