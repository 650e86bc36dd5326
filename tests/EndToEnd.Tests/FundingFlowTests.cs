using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Platform.Reference;
using EmsAchse.TestSupport;
using Xunit;

namespace EmsAchse.EndToEnd.Tests;

/// <summary>Funding with the networks and members services, through the real broker.</summary>
[Collection(ThreeServicesCollection.Name)]
public sealed class FundingFlowTests(ThreeServices platform)
{
    private static Uri Url(string path) => new(path, UriKind.Relative);

    private async Task<string> NetworkAsync(string prefix)
    {
        var slug = $"{prefix}-{Guid.NewGuid():N}"[..20];
        (await platform.Networks.ClientAs("admin").PostAsJsonAsync(Url("/api/networks"), new { slug, name = $"Netz {slug}" })).EnsureSuccessStatusCode();
        return slug;
    }

    private async Task<Guid> SiteAsync(string slug, string name, string opened)
    {
        var response = await platform.Networks.ClientAs("admin").PostAsJsonAsync(Url($"/api/networks/{slug}/sites"), new { name, town = "Lingen (Ems)", district = "emsland", opened });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>The funding service of these tests has no seed: funders come through its API.</summary>
    private async Task<Guid> FunderAsync(string name, string kind)
    {
        var response = await platform.Funding.ClientAs("admin").PostAsJsonAsync(Url("/api/funding/funders"), new { name = $"{name} {Guid.NewGuid():N}"[..40], kind, district = "emsland" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<int> CoverageInNetworksAsync(string slug, Guid siteId)
    {
        var network = await platform.Networks.CreateClient().GetFromJsonAsync<JsonElement>(Url($"/api/networks/{slug}"));
        return network.GetProperty("sites").EnumerateArray().Single(s => s.GetProperty("id").GetGuid() == siteId).GetProperty("fundingCoverageBasisPoints").GetInt32();
    }

    [Fact]
    public async Task a_site_opened_in_networks_is_fundable_and_5000_plus_5000_shows_it_fully_funded_in_networks()
    {
        var slug = await NetworkAsync("fund");
        var site = await SiteAsync(slug, "Lingen", "2025-01-01");
        var emsland = await FunderAsync("Landkreis Emsland", "district");
        var lingen = await FunderAsync("Stadt Lingen", "city");
        var funding = platform.Funding.ClientAs("admin");

        // Until SiteOpened arrives the site is unknown here (422); then it takes commitments.
        await Eventually.SucceedsAsync(async () =>
        {
            var first = await funding.PostAsJsonAsync(Url("/api/funding/commitments"), new { funderId = emsland, siteId = site, shareBasisPoints = 5000, validFrom = "2025-01-01" });
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        });
        await Eventually.SucceedsAsync(async () => Assert.Equal(5000, await CoverageInNetworksAsync(slug, site)));
        var second = await funding.PostAsJsonAsync(Url("/api/funding/commitments"), new { funderId = lingen, siteId = site, shareBasisPoints = 5000, validFrom = "2025-01-01" });
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);

        await Eventually.SucceedsAsync(async () => Assert.Equal(10000, await CoverageInNetworksAsync(slug, site)));
        var coverage = await platform.Funding.CreateClient().GetFromJsonAsync<JsonElement>(Url($"/api/funding/sites/{site}/coverage"));
        Assert.Equal("full", coverage.GetProperty("status").GetString());
    }

    [Fact]
    public async Task closing_a_site_in_networks_ends_its_commitments_here_and_networks_shows_it_unfunded()
    {
        var slug = await NetworkAsync("close");
        var site = await SiteAsync(slug, "Leer", "2025-01-01");
        var funder = await FunderAsync("Landkreis Leer", "district");
        var funding = platform.Funding.ClientAs("admin");
        Guid commitment = default;
        await Eventually.SucceedsAsync(async () =>
        {
            var response = await funding.PostAsJsonAsync(Url("/api/funding/commitments"), new { funderId = funder, siteId = site, shareBasisPoints = 10000, validFrom = "2025-01-01" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            commitment = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        });
        await Eventually.SucceedsAsync(async () => Assert.Equal(10000, await CoverageInNetworksAsync(slug, site)));
        var yesterday = BusinessCalendar.Today(TimeProvider.System).AddDays(-1).ToString("yyyy-MM-dd");

        (await platform.Networks.ClientAs("admin").PostAsJsonAsync(Url($"/api/networks/{slug}/sites/{site}/close"), new { closed = yesterday })).EnsureSuccessStatusCode();

        await Eventually.SucceedsAsync(async () =>
        {
            var ended = await funding.GetFromJsonAsync<JsonElement>(Url($"/api/funding/commitments/{commitment}"));
            Assert.Equal("ended", ended.GetProperty("status").GetString());
            Assert.Equal(yesterday, ended.GetProperty("validTo").GetString());
        });
        await Eventually.SucceedsAsync(async () => Assert.Equal(0, await CoverageInNetworksAsync(slug, site)));
        var refused = await funding.PostAsJsonAsync(Url("/api/funding/commitments"), new { funderId = funder, siteId = site, shareBasisPoints = 100, validFrom = "2025-01-01", validTo = "2025-01-31" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
    }

    [Fact]
    public async Task approving_a_membership_in_members_creates_the_fee_claim_here()
    {
        var slug = await NetworkAsync("fees");
        var funding = platform.Funding.ClientAs("admin");
        // funding knows the network from NetworkRegistered; then it takes the fee schedule.
        await Eventually.SucceedsAsync(async () =>
        {
            var set = await funding.PutAsJsonAsync(Url($"/api/funding/networks/{slug}/fees"), new { annualFeeCents = new { company = 36_500 } });
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        });
        HttpResponseMessage? applied = null;
        await Eventually.SucceedsAsync(async () =>
        {
            applied = await platform.Members.CreateClient().PostAsJsonAsync(Url("/api/members/applications"), new
            {
                network = slug,
                organization = new { name = $"Emsland Software {Guid.NewGuid():N}"[..30], kind = "company", district = "emsland", town = "Lingen (Ems)" },
            });
            Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        });
        var applicationId = (await applied!.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        (await platform.Members.ClientAs("admin").PostAsync(Url($"/api/members/applications/{applicationId}/approve"), null)).EnsureSuccessStatusCode();

        await Eventually.SucceedsAsync(async () =>
        {
            var claims = await funding.GetFromJsonAsync<JsonElement>(Url($"/api/funding/networks/{slug}/fee-claims"));
            var claim = Assert.Single(claims.GetProperty("items").EnumerateArray());
            Assert.Equal("company", claim.GetProperty("organizationKind").GetString());
            Assert.True(claim.GetProperty("amountCents").GetInt64() is > 0 and <= 36_500);
        });
        var report = await funding.GetFromJsonAsync<JsonElement>(Url($"/api/funding/networks/{slug}/report"));
        Assert.Equal(1, report.GetProperty("feeIncome").GetProperty("claims").GetInt32());
    }
}
