using System.Net;
using System.Text.Json;
using EmsAchse.Contracts.Funding;
using EmsAchse.Platform.Persistence;
using EmsAchse.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EmsAchse.Funding.Tests;

/// <summary>A re-sync request, arriving on the real broker, makes funding announce every site's coverage again.</summary>
[Collection(FundingCollection.Name)]
public sealed class ResyncTests(FundingServers servers)
{
    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_resync_request_republishes_the_announced_coverage_of_every_site_at_its_current_version(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var full = await funding.GivenSiteAsync(name: "Lingen");
        var partial = await funding.GivenSiteAsync(name: "Meppen");
        var unfunded = await funding.GivenSiteAsync(name: "Papenburg");
        var emsland = await funding.CreateFunderAsync("Landkreis Emsland");
        var lingen = await funding.CreateFunderAsync("Stadt Lingen (Ems)", "city");
        await funding.CommittedAsync(emsland, full, 5000);
        await funding.CommittedAsync(lingen, full, 5000);
        await funding.CommittedAsync(emsland, partial, 2500);
        var before = (await funding.OutboxAsync("SiteFundingChanged")).Count;
        Assert.Equal(3, before);

        var client = funding.Anonymous;
        await Eventually.SucceedsAsync(async () => Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode));
        await funding.Host.Services.GetRequiredService<IBus>().Publish(new SiteFundingResyncRequested("networks", DateTimeOffset.UtcNow));

        var replayed = new List<JsonElement>();
        await Eventually.SucceedsAsync(async () =>
        {
            var events = await funding.OutboxAsync("SiteFundingChanged");
            Assert.Equal(before + 2, events.Count);
            // Through the outbox to the broker: each replayed event is published and confirmed.
            Assert.All(events, e => Assert.True(e.Sent));
            replayed = events.Skip(before).Select(e => e.Body).ToList();
        });

        var bySite = replayed.ToDictionary(e => e.GetProperty("siteId").GetGuid());
        // A site without any commitment was never announced: there is nothing to repeat.
        Assert.DoesNotContain(unfunded, bySite.Keys);
        Assert.Equal(10000, bySite[full].GetProperty("coverageBasisPoints").GetInt32());
        Assert.Equal("full", bySite[full].GetProperty("status").GetString());
        Assert.Equal(2, bySite[full].GetProperty("version").GetInt64());
        Assert.Equal("it-achse", bySite[full].GetProperty("networkSlug").GetString());
        Assert.Equal(2500, bySite[partial].GetProperty("coverageBasisPoints").GetInt32());
        Assert.Equal("partial", bySite[partial].GetProperty("status").GetString());
        Assert.Equal(1, bySite[partial].GetProperty("version").GetInt64());
        // The replay announces, it does not change: the versions stay.
        Assert.Equal(3, await funding.CountAsync("SELECT COALESCE(SUM(funding_version), 0) FROM sites"));
    }
}
