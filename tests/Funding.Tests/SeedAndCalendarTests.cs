using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Funding.Coverage;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using EmsAchse.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EmsAchse.Funding.Tests;

[Collection(FundingCollection.Name)]
public sealed class SeedAndCalendarTests(FundingServers servers)
{
    private static Uri Url(string path) => new(path, UriKind.Relative);

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task the_demo_seed_holds_the_funders_and_shares_of_the_seed_text_and_the_fee_schedules(DatabaseEngine engine)
    {
        var database = engine == DatabaseEngine.Postgres ? await servers.Postgres.CreateDatabaseAsync("funding") : SqliteFiles.NewDatabase("funding");
        await using var plain = new ServiceHost<Program>(database, servers.RabbitMq.AmqpUri);
        await using var seeded = plain.WithWebHostBuilder(b => b.UseSetting("Seed:Demo", "true"));
        var client = seeded.CreateClient();

        async Task<Dictionary<string, int>> SharesAsync(DemoSite site)
        {
            var coverage = await client.GetFromJsonAsync<JsonElement>(Url($"/api/funding/sites/{site.Id}/coverage"));
            return coverage.GetProperty("shares").EnumerateArray().ToDictionary(s => s.GetProperty("funderName").GetString()!, s => s.GetProperty("shareBasisPoints").GetInt32());
        }

        Assert.Equal(new Dictionary<string, int> { ["Landkreis Emsland"] = 5000, ["Stadt Lingen (Ems)"] = 5000 }, await SharesAsync(DemoCatalogue.ItAchseLingen));
        Assert.Equal(new Dictionary<string, int> { ["Landkreis Leer"] = 10000 }, await SharesAsync(DemoCatalogue.ItAchseLeer));
        Assert.Equal([7000, 2100, 900], (await SharesAsync(DemoCatalogue.LogistikachseEmden)).Values.Order().Reverse());
        var admin = client;
        admin.DefaultRequestHeaders.Authorization = new("Bearer", DevTokens.For("admin"));
        var funders = await admin.GetFromJsonAsync<JsonElement>(Url("/api/funding/funders"));
        Assert.Equal(6, funders.GetProperty("total").GetInt32());
        var plastics = await admin.GetFromJsonAsync<JsonElement>(Url("/api/funding/networks/kunststoffnetzwerk/fees"));
        Assert.True(plastics.GetProperty("configured").GetBoolean());
        Assert.All(plastics.GetProperty("annualFeeCents").EnumerateObject(), f => Assert.Equal(0, f.Value.GetInt64()));
        var it = await admin.GetFromJsonAsync<JsonElement>(Url("/api/funding/networks/it-achse/fees"));
        Assert.True(it.GetProperty("annualFeeCents").GetProperty("company").GetInt64() > 0);
    }

    private sealed class MovableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_commitment_starting_tomorrow_is_announced_when_the_day_comes(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var site = await funding.GivenSiteAsync();
        var today = BusinessCalendar.Today(TimeProvider.System);
        await funding.CommittedAsync(await funding.CreateFunderAsync("Landkreis Emsland"), site, 5000, today.AddDays(1).ToString("yyyy-MM-dd"));
        Assert.Equal(0, await funding.CountAsync("SELECT announced_basis_points FROM sites"));
        var clock = new MovableClock(DateTimeOffset.UtcNow);
        var announcer = new DailyCoverageAnnouncer(funding.Database, clock, NullLogger<DailyCoverageAnnouncer>.Instance);

        Assert.Equal(0, await announcer.AnnounceChangedAsync(CancellationToken.None));
        clock.Now = clock.Now.AddDays(1);
        var announced = await announcer.AnnounceChangedAsync(CancellationToken.None);
        var again = await announcer.AnnounceChangedAsync(CancellationToken.None);

        Assert.Equal(1, announced);
        Assert.Equal(0, again);
        Assert.Equal(5000, await funding.CountAsync("SELECT announced_basis_points FROM sites"));
        Assert.Equal(2, await funding.OutboxCountAsync("SiteFundingChanged"));
    }
}
