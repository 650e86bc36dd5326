using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Contracts.Networks;
using EmsAchse.Platform.Persistence;
using EmsAchse.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EmsAchse.Funding.Tests;

/// <summary>"Who changed what" in funding: one record per write, the caller's or the consumer's, none for a refusal.</summary>
[Collection(FundingCollection.Name)]
public sealed class ChangeRecordsTests(FundingServers servers)
{
    private static readonly Uri Changes = new("/api/funding/admin/changes", UriKind.Relative);

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_commitment_is_one_record_though_it_publishes_two_events_and_a_refused_one_is_none(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var site = await funding.GivenSiteAsync("it-achse");
        var funder = await funding.CreateFunderAsync("Landkreis Emsland");
        var other = await funding.CreateFunderAsync("Stadt Lingen (Ems)", "city");
        var before = await funding.GetJsonAsync(Changes.ToString());

        var commitment = await funding.CommittedAsync(funder, site, 6000);
        var afterCommitting = await funding.Admin.GetStringAsync(Changes);
        Assert.Equal(HttpStatusCode.Conflict, (await funding.CommitAsync(other, site, 5000)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await funding.CommitAsync(other, site, 0)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await funding.As("network-manager", "it-achse").PostAsJsonAsync(FundingService.Commitments, new { funderId = other, siteId = site, shareBasisPoints = 1000, validFrom = "2025-01-01" })).StatusCode);

        Assert.Equal(afterCommitting, await funding.Admin.GetStringAsync(Changes));
        var records = JsonDocument.Parse(afterCommitting).RootElement;
        Assert.Equal(2, before.GetProperty("total").GetInt64());
        Assert.Equal(["funder.registered", "funder.registered"], before.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()));
        Assert.Equal(3, records.GetProperty("total").GetInt64());
        var committed = records.GetProperty("items")[0];
        Assert.Equal("funding.committed", committed.GetProperty("action").GetString());
        Assert.Equal("test-admin", committed.GetProperty("actorId").GetString());
        Assert.Equal("Test admin", committed.GetProperty("actorName").GetString());
        Assert.Equal("commitment", committed.GetProperty("aggregateType").GetString());
        Assert.Equal(commitment.ToString(), committed.GetProperty("aggregateId").GetString());
        Assert.Equal(2, await funding.OutboxCountAsync("FundingCommitted") + await funding.OutboxCountAsync("SiteFundingChanged"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task commitments_ended_by_a_closed_site_are_recorded_as_the_consumers_doing(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        await Eventually.SucceedsAsync(async () => (await funding.Anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative))).EnsureSuccessStatusCode());
        var bus = funding.Host.Services.GetRequiredService<IBus>();
        var site = Guid.NewGuid();
        var funder = await funding.CreateFunderAsync("Landkreis Leer", district: "leer");
        await bus.Publish(new SiteOpened(site, "it-achse", "Leer", "Leer (Ostfriesland)", "leer", null, "open", new DateOnly(2020, 1, 1), null, 1, DateTimeOffset.UtcNow));
        var commitment = Guid.Empty;
        await Eventually.SucceedsAsync(async () => commitment = await funding.CommittedAsync(funder, site, 10000, "2020-01-01"));

        await bus.Publish(new SiteClosed(site, "it-achse", "Leer", "Leer (Ostfriesland)", "leer", null, "closed", new DateOnly(2020, 1, 1), new DateOnly(2025, 6, 30), 2, DateTimeOffset.UtcNow));

        await Eventually.SucceedsAsync(async () =>
            Assert.Equal(1, (await funding.GetJsonAsync($"{Changes}?actor=system")).GetProperty("total").GetInt64()));
        var record = (await funding.GetJsonAsync($"{Changes}?actor=system")).GetProperty("items")[0];
        Assert.Equal("funding-commitment.ended", record.GetProperty("action").GetString());
        Assert.Equal("funding-sites", record.GetProperty("actorName").GetString());
        Assert.Equal(commitment.ToString(), record.GetProperty("aggregateId").GetString());
        // The site's opening only filled the read model: no change of funding's own, no record.
        Assert.Equal(3, (await funding.GetJsonAsync(Changes.ToString())).GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task only_admins_read_the_records_and_bad_paging_is_a_400(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);

        Assert.Equal(HttpStatusCode.Unauthorized, (await funding.Anonymous.GetAsync(Changes)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await funding.As("network-manager", "it-achse").GetAsync(Changes)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await funding.As("integrator").GetAsync(Changes)).StatusCode);
        foreach (var query in new[] { "page=0", "pageSize=201", "page=5001&pageSize=200" })
        {
            var response = await funding.Admin.GetAsync(new Uri($"{Changes}?{query}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
