using EmsAchse.ReadModels;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EmsAchse.Funding.ReadModels;
using EmsAchse.Platform.Persistence;
using Xunit;

namespace EmsAchse.Funding.Tests;

[Collection(FundingCollection.Name)]
public sealed class CommitmentsApiTests(FundingServers servers)
{
    private static readonly Uri Commitments = FundingService.Commitments;

    private static Uri Url(string path) => new(path, UriKind.Relative);

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task committing_5000_and_5000_funds_a_site_fully_and_announces_it(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var site = await funding.GivenSiteAsync();
        var emsland = await funding.CreateFunderAsync("Landkreis Emsland");
        var lingen = await funding.CreateFunderAsync("Stadt Lingen (Ems)", "city");

        var first = await funding.CommitAsync(emsland, site, 5000, "2012-01-01");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var commitment = await first.Content.ReadFromJsonAsync<JsonElement>();
        var id = commitment.GetProperty("id").GetGuid();
        Assert.Equal($"/api/funding/commitments/{id}", first.Headers.Location?.OriginalString);
        Assert.Equal("active", commitment.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, commitment.GetProperty("validTo").ValueKind);
        var partial = await funding.GetJsonAsync($"/api/funding/sites/{site}/coverage", funding.Anonymous);
        Assert.Equal("partial", partial.GetProperty("status").GetString());

        await funding.CommittedAsync(lingen, site, 5000, "2012-01-01");

        var coverage = await funding.GetJsonAsync($"/api/funding/sites/{site}/coverage", funding.Anonymous);
        Assert.Equal(10000, coverage.GetProperty("totalBasisPoints").GetInt32());
        Assert.Equal("full", coverage.GetProperty("status").GetString());
        Assert.Equal(["Landkreis Emsland", "Stadt Lingen (Ems)"], coverage.GetProperty("shares").EnumerateArray().Select(s => s.GetProperty("funderName").GetString()));
        var before = await funding.GetJsonAsync($"/api/funding/sites/{site}/coverage?date=2011-12-31", funding.Anonymous);
        Assert.Equal("unfunded", before.GetProperty("status").GetString());
        Assert.Equal("2011-12-31", before.GetProperty("date").GetString());

        var one = await funding.GetJsonAsync($"/api/funding/commitments/{id}", funding.As("integrator"));
        Assert.Equal(5000, one.GetProperty("shareBasisPoints").GetInt32());
        Assert.Equal("Landkreis Emsland", one.GetProperty("funderName").GetString());
        var list = await funding.GetJsonAsync($"/api/funding/commitments?siteId={site}&funderId={lingen}", funding.As("network-manager", "it-achse"));
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal(2, (await funding.GetJsonAsync("/api/funding/commitments?network=it-achse&status=active")).GetProperty("total").GetInt32());
        Assert.Equal(2, await funding.OutboxCountAsync("FundingCommitted"));
        Assert.Equal(2, await funding.OutboxCountAsync("SiteFundingChanged"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite, 0, "shareBasisPoints")]
    [InlineData(DatabaseEngine.Sqlite, 10001, "shareBasisPoints")]
    [InlineData(DatabaseEngine.Postgres, 0, "shareBasisPoints")]
    [InlineData(DatabaseEngine.Postgres, 10001, "shareBasisPoints")]
    public async Task a_share_outside_1_to_10000_is_a_400_and_changes_nothing(DatabaseEngine engine, int share, string field)
    {
        await using var funding = await servers.StartAsync(engine);
        var site = await funding.GivenSiteAsync();
        var funder = await funding.CreateFunderAsync("Landkreis Emsland");

        var response = await funding.CommitAsync(funder, site, share);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(0, await funding.CountAsync("SELECT COUNT(*) FROM commitments"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task malformed_or_incomplete_commitments_are_400_problems(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);

        var malformed = await funding.Admin.PostAsync(Commitments, new StringContent("{\"funderId\": ", Encoding.UTF8, "application/json"));
        var incomplete = await funding.Admin.PostAsJsonAsync(Commitments, new { shareBasisPoints = 100, validFrom = "2025-02-01", validTo = "2025-01-01" });

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        var errors = (await incomplete.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("funderId", out _) && errors.TryGetProperty("siteId", out _) && errors.TryGetProperty("validTo", out _));
        Assert.Equal(0, await funding.CountAsync("SELECT COUNT(*) FROM commitments"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task an_unknown_site_or_funder_is_a_422_and_a_closed_site_a_409_with_a_message(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var funder = await funding.CreateFunderAsync("Landkreis Emsland");
        var site = await funding.GivenSiteAsync();
        var closed = Guid.NewGuid();
        await funding.Database.WriteAsync(tx => SitesConsumer.CopyAsync(tx, TimeProvider.System, closed, "it-achse", "Papenburg", "Papenburg", "emsland", "closed", new DateOnly(2015, 1, 1), new DateOnly(2020, 12, 31), 2));
        var unknownSite = Guid.NewGuid();

        var toUnknownSite = await funding.CommitAsync(funder, unknownSite, 5000);
        var byUnknownFunder = await funding.CommitAsync(Guid.NewGuid(), site, 5000);
        var toClosedSite = await funding.CommitAsync(funder, closed, 5000);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, toUnknownSite.StatusCode);
        Assert.Contains(unknownSite.ToString(), (await toUnknownSite.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, byUnknownFunder.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, toClosedSite.StatusCode);
        Assert.Contains("Papenburg is closed", (await toClosedSite.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await funding.CountAsync("SELECT COUNT(*) FROM commitments"));
        Assert.Equal(0, await funding.OutboxCountAsync("SiteFundingChanged"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task over_commitment_is_a_409_naming_the_date_the_figures_and_the_commitments(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var site = await funding.GivenSiteAsync(name: "Leer");
        var leer = await funding.CreateFunderAsync("Landkreis Leer", district: "leer");
        var nbank = await funding.CreateFunderAsync("NBank", "state", null);
        var existing = await funding.CommittedAsync(leer, site, 7000, "2025-01-01", "2025-06-30");

        var response = await funding.CommitAsync(nbank, site, 4000, "2025-06-30");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("2025-06-30", problem.GetProperty("date").GetString());
        Assert.Equal(7000, problem.GetProperty("currentBasisPoints").GetInt32());
        Assert.Equal(11000, problem.GetProperty("totalBasisPoints").GetInt32());
        Assert.Contains(existing.ToString(), problem.GetProperty("commitments").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains("Leer would reach 11000 bp on 2025-06-30", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await funding.CountAsync("SELECT COUNT(*) FROM commitments"));

        // The day after the first commitment ends, there is room.
        Assert.Equal(HttpStatusCode.Created, (await funding.CommitAsync(nbank, site, 4000, "2025-07-01")).StatusCode);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_funder_may_not_hold_two_overlapping_commitments_for_one_site(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var site = await funding.GivenSiteAsync();
        var funder = await funding.CreateFunderAsync("Landkreis Emsland");
        await funding.CommittedAsync(funder, site, 2000, "2025-01-01", "2025-12-31");

        var overlapping = await funding.CommitAsync(funder, site, 1000, "2025-12-31");
        var adjacent = await funding.CommitAsync(funder, site, 1000, "2026-01-01");

        Assert.Equal(HttpStatusCode.Conflict, overlapping.StatusCode);
        Assert.Equal(HttpStatusCode.Created, adjacent.StatusCode);
        Assert.Equal(2, await funding.CountAsync("SELECT COUNT(*) FROM commitments"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_commitment_changes_under_the_same_rules_and_refusals_leave_it_as_it_was(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var site = await funding.GivenSiteAsync();
        var emsland = await funding.CreateFunderAsync("Landkreis Emsland");
        var lingen = await funding.CreateFunderAsync("Stadt Lingen (Ems)", "city");
        var a = await funding.CommittedAsync(emsland, site, 4000, "2025-01-01");
        await funding.CommittedAsync(lingen, site, 5000, "2025-01-01");
        var url = Url($"/api/funding/commitments/{a}");

        var changed = await funding.Admin.PutAsJsonAsync(url, new { shareBasisPoints = 5000, validFrom = "2025-01-01" });
        var over = await funding.Admin.PutAsJsonAsync(url, new { shareBasisPoints = 5001, validFrom = "2025-01-01" });
        var otherFunder = await funding.Admin.PutAsJsonAsync(url, new { funderId = lingen, shareBasisPoints = 5000, validFrom = "2025-01-01" });
        var invalid = await funding.Admin.PutAsJsonAsync(url, new { shareBasisPoints = 0, validFrom = "2025-01-01" });
        var unknown = await funding.Admin.PutAsJsonAsync(Url($"/api/funding/commitments/{Guid.NewGuid()}"), new { shareBasisPoints = 100, validFrom = "2025-01-01" });
        var forbidden = await funding.As("network-manager", "it-achse").PutAsJsonAsync(url, new { shareBasisPoints = 100, validFrom = "2025-01-01" });
        var anonymous = await funding.Anonymous.PutAsJsonAsync(url, new { shareBasisPoints = 100, validFrom = "2025-01-01" });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(2, (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64());
        Assert.Equal(HttpStatusCode.Conflict, over.StatusCode);
        Assert.Equal(10001, (await over.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("totalBasisPoints").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, otherFunder.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var now = await funding.GetJsonAsync($"/api/funding/commitments/{a}");
        Assert.Equal(5000, now.GetProperty("shareBasisPoints").GetInt32());
        Assert.Equal(2, now.GetProperty("version").GetInt64());
        Assert.Equal(3, await funding.OutboxCountAsync("FundingCommitted"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task ending_a_commitment_keeps_its_history_and_frees_the_share_afterwards(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var site = await funding.GivenSiteAsync(name: "Leer");
        var leer = await funding.CreateFunderAsync("Landkreis Leer", district: "leer");
        var id = await funding.CommittedAsync(leer, site, 10000, "2014-01-01");
        var end = Url($"/api/funding/commitments/{id}/end");

        var forbidden = await funding.As("integrator").PostAsJsonAsync(end, new { validTo = "2025-12-31" });
        var tooEarly = await funding.Admin.PostAsJsonAsync(end, new { validTo = "2013-01-01" });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooEarly.StatusCode);
        Assert.Equal("active", (await funding.GetJsonAsync($"/api/funding/commitments/{id}")).GetProperty("status").GetString());

        var ended = await funding.Admin.PostAsJsonAsync(end, new { validTo = "2025-12-31" });
        var again = await funding.Admin.PostAsJsonAsync(end, new { validTo = "2025-06-30" });
        var change = await funding.Admin.PutAsJsonAsync(Url($"/api/funding/commitments/{id}"), new { shareBasisPoints = 10000, validFrom = "2014-01-01" });
        var unknown = await funding.Admin.PostAsync(Url($"/api/funding/commitments/{Guid.NewGuid()}/end"), null);

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        var view = await ended.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ended", view.GetProperty("status").GetString());
        Assert.Equal("2025-12-31", view.GetProperty("validTo").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, change.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("2025-12-31", (await funding.GetJsonAsync($"/api/funding/commitments/{id}")).GetProperty("validTo").GetString());
        Assert.Equal("full", (await funding.GetJsonAsync($"/api/funding/sites/{site}/coverage?date=2025-12-31")).GetProperty("status").GetString());
        Assert.Equal("unfunded", (await funding.GetJsonAsync($"/api/funding/sites/{site}/coverage?date=2026-01-01")).GetProperty("status").GetString());
        Assert.Equal(1, await funding.OutboxCountAsync("FundingCommitmentEnded"));
        Assert.Equal(2, await funding.OutboxCountAsync("SiteFundingChanged"));
        Assert.Equal(HttpStatusCode.Created, (await funding.CommitAsync(leer, site, 10000, "2026-01-01")).StatusCode);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task ending_without_a_date_ends_today_in_berlin(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var site = await funding.GivenSiteAsync();
        var id = await funding.CommittedAsync(await funding.CreateFunderAsync("Landkreis Emsland"), site, 5000, "2020-01-01");

        var ended = await funding.Admin.PostAsync(Url($"/api/funding/commitments/{id}/end"), null);

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        var today = EmsAchse.Platform.Reference.BusinessCalendar.Today(TimeProvider.System).ToString("yyyy-MM-dd");
        Assert.Equal(today, (await ended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("validTo").GetString());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("integrator", HttpStatusCode.Forbidden)]
    [InlineData("network-manager", HttpStatusCode.Forbidden)]
    public async Task only_admins_commit_and_reading_commitments_needs_a_role(string? role, HttpStatusCode expected)
    {
        await using var funding = await servers.StartAsync(DatabaseEngine.Sqlite);
        var site = await funding.GivenSiteAsync();
        var funder = await funding.CreateFunderAsync("Landkreis Emsland");

        var response = await funding.As(role, "it-achse").PostAsJsonAsync(Commitments, new { funderId = funder, siteId = site, shareBasisPoints = 5000, validFrom = "2025-01-01" });

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(0, await funding.CountAsync("SELECT COUNT(*) FROM commitments"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await funding.Anonymous.GetAsync(Commitments)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await funding.Admin.GetAsync(Url($"/api/funding/commitments/{Guid.NewGuid()}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await funding.Anonymous.GetAsync(Url($"/api/funding/sites/{Guid.NewGuid()}/coverage"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await funding.Admin.GetAsync(Url("/api/funding/commitments?status=paused"))).StatusCode);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task two_commitments_posted_at_once_that_together_exceed_100_percent_let_exactly_one_through(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var site = await funding.GivenSiteAsync();
        var funders = new[] { await funding.CreateFunderAsync("Landkreis Emsland"), await funding.CreateFunderAsync("Stadt Lingen (Ems)", "city") };
        for (var round = 0; round < 5; round++)
        {
            var from = $"{2030 + round}-01-01";
            var to = $"{2030 + round}-12-31";
            using var start = new SemaphoreSlim(0);
            var posts = funders.Select(async f =>
            {
                await start.WaitAsync();
                return await funding.CommitAsync(f, site, 6000, from, to);
            }).ToList();
            start.Release(2);
            var responses = await Task.WhenAll(posts);

            Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
            Assert.Equal(6000, (await funding.GetJsonAsync($"/api/funding/sites/{site}/coverage?date={from}")).GetProperty("totalBasisPoints").GetInt32());
        }
        Assert.Equal(5, await funding.CountAsync("SELECT COUNT(*) FROM commitments"));
    }
}
