using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.TestSupport;
using Xunit;

namespace EmsAchse.EndToEnd.Tests;

/// <summary>Events cross the real broker from each service's outbox to the others' inboxes.</summary>
[Collection(ThreeServicesCollection.Name)]
public sealed class CrossServiceTests(ThreeServices platform)
{
    private static readonly Uri NetworksRoot = new("/api/networks", UriKind.Relative);

    [Fact]
    public async Task a_network_registered_in_networks_takes_applications_in_members_and_an_approval_counts_there()
    {
        var slug = $"net-{Guid.NewGuid():N}"[..20];
        var admin = platform.Networks.ClientAs("admin");
        (await admin.PostAsJsonAsync(NetworksRoot, new { slug, name = "Testnetz", description = "e2e", topics = new[] { "it" } })).EnsureSuccessStatusCode();

        // members learns of the network from NetworkRegistered; until then it refuses the application.
        var applicant = platform.Members.CreateClient();
        HttpResponseMessage? applied = null;
        await Eventually.SucceedsAsync(async () =>
        {
            applied = await applicant.PostAsJsonAsync(new Uri("/api/members/applications", UriKind.Relative), new
            {
                network = slug,
                organization = new { name = "Emsland Software GmbH", kind = "company", district = "emsland", town = "Lingen (Ems)" },
            });
            Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        });
        var application = await applied!.Content.ReadFromJsonAsync<JsonElement>();
        var applicationId = application.GetProperty("id").GetString();

        var manager = platform.Members.ClientAs("network-manager", slug);
        (await manager.PostAsync(new Uri($"/api/members/applications/{applicationId}/approve", UriKind.Relative), null)).EnsureSuccessStatusCode();

        // networks counts the member from MembershipActivated.
        await Eventually.SucceedsAsync(async () =>
        {
            var network = await platform.Networks.CreateClient().GetFromJsonAsync<JsonElement>(new Uri($"/api/networks/{slug}", UriKind.Relative));
            Assert.Equal(1, network.GetProperty("activeMemberCount").GetInt32());
        });
    }

    [Fact]
    public async Task a_site_opened_in_networks_is_fundable_in_funding_and_its_coverage_shows_in_networks()
    {
        var slug = $"site-{Guid.NewGuid():N}"[..20];
        var admin = platform.Networks.ClientAs("admin");
        (await admin.PostAsJsonAsync(NetworksRoot, new { slug, name = "Standortnetz" })).EnsureSuccessStatusCode();
        var opened = await admin.PostAsJsonAsync(new Uri($"/api/networks/{slug}/sites", UriKind.Relative), new { name = "Lingen", town = "Lingen (Ems)", district = "emsland", opened = "2025-01-01" });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var siteId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // funding knows the site from SiteOpened; the seed-free funding service has no funders, so add them first.
        var funding = platform.Funding.ClientAs("admin");
        var emsland = await EnsureFunderAsync(platform, "f0000000-0000-4000-8000-000000000001");
        var lingen = await EnsureFunderAsync(platform, "f0000000-0000-4000-8000-000000000002");
        await Eventually.SucceedsAsync(async () =>
        {
            var first = await funding.PostAsJsonAsync(new Uri("/api/funding/commitments", UriKind.Relative), new { funderId = emsland, siteId, shareBasisPoints = 5000, validFrom = "2025-01-01" });
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        });
        var second = await funding.PostAsJsonAsync(new Uri("/api/funding/commitments", UriKind.Relative), new { funderId = lingen, siteId, shareBasisPoints = 5000, validFrom = "2025-01-01" });
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);

        // networks shows the coverage from SiteFundingChanged.
        await Eventually.SucceedsAsync(async () =>
        {
            var network = await platform.Networks.CreateClient().GetFromJsonAsync<JsonElement>(new Uri($"/api/networks/{slug}", UriKind.Relative));
            Assert.Equal(10000, network.GetProperty("sites")[0].GetProperty("fundingCoverageBasisPoints").GetInt32());
        });
    }

    private static async Task<Guid> EnsureFunderAsync(ThreeServices platform, string id)
    {
        // The funding service of these tests runs without the demo seed; funders are inserted directly into its own database.
        var db = platform.Funding.Services.GetService(typeof(EmsAchse.Platform.Persistence.ServiceDatabase)) as EmsAchse.Platform.Persistence.ServiceDatabase;
        await db!.WriteAsync(tx => tx.ExecuteAsync(
            "INSERT INTO funders (id, name, kind, district) VALUES (@id, @name, 'district', 'emsland') ON CONFLICT (id) DO NOTHING",
            new { id = Guid.Parse(id), name = $"Funder {id[^4..]}" }));
        return Guid.Parse(id);
    }
}
