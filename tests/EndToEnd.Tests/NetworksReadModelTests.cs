using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.TestSupport;
using Xunit;

namespace EmsAchse.EndToEnd.Tests;

/// <summary>Changes made in the networks service reach the other services' copies of the catalogue through the real broker.</summary>
[Collection(ThreeServicesCollection.Name)]
public sealed class NetworksReadModelTests(ThreeServices platform)
{
    private static Uri Url(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task a_dissolved_network_takes_no_applications_in_members_and_its_closed_site_no_commitments_in_funding()
    {
        var slug = $"diss-{Guid.NewGuid():N}"[..20];
        var admin = platform.Networks.ClientAs("admin");
        (await admin.PostAsJsonAsync(Url("/api/networks"), new { slug, name = "Auflösungsnetz", founded = "2020-01-01" })).EnsureSuccessStatusCode();
        var opened = await admin.PostAsJsonAsync(Url($"/api/networks/{slug}/sites"), new { name = "Emden", town = "Emden", district = "emden", opened = "2020-01-01" });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var siteId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var dissolved = await admin.PostAsJsonAsync(Url($"/api/networks/{slug}/dissolve"), new { dissolvedOn = "2024-12-31" });
        Assert.Equal(HttpStatusCode.OK, dissolved.StatusCode);

        // members learns NetworkRegistered, then NetworkDissolved (same aggregate, in order): an application is refused as dissolved.
        await Eventually.SucceedsAsync(async () =>
        {
            var applied = await platform.Members.CreateClient().PostAsJsonAsync(Url("/api/members/applications"), new
            {
                network = slug,
                organization = new { name = "Hafen Emden GmbH", kind = "company", district = "emden", town = "Emden" },
            });
            Assert.Equal(HttpStatusCode.Conflict, applied.StatusCode);
        });

        // funding learns SiteOpened, then SiteClosed: a commitment to the closed site is refused.
        var funderId = Guid.Parse("f0000000-0000-4000-8000-0000000000d1");
        var db = (EmsAchse.Platform.Persistence.ServiceDatabase)platform.Funding.Services.GetService(typeof(EmsAchse.Platform.Persistence.ServiceDatabase))!;
        await db.WriteAsync(tx => tx.ExecuteAsync(
            "INSERT INTO funders (id, name, kind, district) VALUES (@funderId, 'Stadt Emden', 'city', 'emden') ON CONFLICT (id) DO NOTHING", new { funderId }));
        await Eventually.SucceedsAsync(async () =>
        {
            var committed = await platform.Funding.ClientAs("admin").PostAsJsonAsync(Url("/api/funding/commitments"), new { funderId, siteId, shareBasisPoints = 2100, validFrom = "2024-01-01" });
            Assert.Equal(HttpStatusCode.Conflict, committed.StatusCode);
        });

        // networks itself still shows the network and its site as history.
        var network = await platform.Networks.CreateClient().GetFromJsonAsync<JsonElement>(Url($"/api/networks/{slug}"));
        Assert.Equal("dissolved", network.GetProperty("status").GetString());
        Assert.Equal("closed", network.GetProperty("sites")[0].GetProperty("status").GetString());
    }
}
