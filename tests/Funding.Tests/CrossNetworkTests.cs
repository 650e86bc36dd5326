using EmsAchse.ReadModels;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using EmsAchse.Funding.Fees;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using Xunit;

namespace EmsAchse.Funding.Tests;

/// <summary>A manager of IT-Achse tries MEMA's fees, fee claims, report, budgets and commitments.</summary>
[Collection(FundingCollection.Name)]
public sealed class CrossNetworkTests(FundingServers servers)
{
    private static readonly int ThisYear = BusinessCalendar.Today(TimeProvider.System).Year;

    private sealed record Attempt(string Name, HttpMethod Method, string Path, object? Body, HttpStatusCode Expected = HttpStatusCode.Forbidden);

    /// <summary>Every row of the tables these endpoints write, as text, to prove a refusal changed nothing.</summary>
    private static async Task<string> StateAsync(FundingService funding)
    {
        string[] queries =
        [
            "SELECT network_slug, organization_kind, annual_fee_cents FROM fee_schedules ORDER BY network_slug, organization_kind",
            "SELECT site_id, year, amount_cents FROM site_budgets ORDER BY site_id, year",
            "SELECT id, site_id, share_basis_points, valid_from, valid_to, status, version FROM commitments ORDER BY id",
            "SELECT id, membership_id, year, amount_cents FROM fee_claims ORDER BY id",
            "SELECT COUNT(*) FROM outbox_messages",
        ];
        await using var connection = await funding.Database.OpenAsync();
        var lines = new List<string>();
        foreach (var sql in queries)
        {
            foreach (IDictionary<string, object?> row in await connection.QueryAsync(sql))
            {
                lines.Add(string.Join("|", row.Values));
            }
        }
        return string.Join("\n", lines);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_manager_of_one_network_reads_and_changes_nothing_of_another(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        await funding.GivenNetworkAsync("it-achse", "IT-Achse");
        await funding.GivenNetworkAsync("mema", "MEMA");
        var meppen = await funding.GivenSiteAsync("mema", "Meppen", "2015-01-01");
        var commitment = await funding.CommittedAsync(await funding.CreateFunderAsync("Landkreis Emsland"), meppen, 5000, "2015-01-01");
        (await funding.Admin.PutAsJsonAsync(new Uri($"/api/funding/sites/{meppen}/budgets/{ThisYear}", UriKind.Relative), new { amountCents = 1_000_000 })).EnsureSuccessStatusCode();
        (await funding.Admin.PutAsJsonAsync(new Uri("/api/funding/networks/mema/fees", UriKind.Relative), new { annualFeeCents = new { company = 40_000 } })).EnsureSuccessStatusCode();
        await funding.Database.WriteAsync(async tx =>
        {
            await NetworkMembersConsumer.CopyMembershipAsync(tx, Guid.NewGuid(), Guid.NewGuid(), "Meppener Maschinenbau GmbH", "company", "emsland", "mema", "active", new DateOnly(2020, 1, 1), null, 2);
            await FeeClaims.IssueMissingAsync(tx, ThisYear);
        });
        Attempt[] attempts =
        [
            new("read B's fee schedule", HttpMethod.Get, "/api/funding/networks/mema/fees", null),
            new("set B's fee schedule", HttpMethod.Put, "/api/funding/networks/mema/fees", new { annualFeeCents = new { company = 0 } }),
            new("read B's fee claims", HttpMethod.Get, $"/api/funding/networks/mema/fee-claims?year={ThisYear}", null),
            new("read B's report", HttpMethod.Get, $"/api/funding/networks/mema/report?year={ThisYear}", null),
            new("read B's report as CSV", HttpMethod.Get, $"/api/funding/networks/mema/report?year={ThisYear}&format=csv", null),
            new("read the budget of B's site", HttpMethod.Get, $"/api/funding/sites/{meppen}/budgets/{ThisYear}", null),
            new("set the budget of B's site", HttpMethod.Put, $"/api/funding/sites/{meppen}/budgets/{ThisYear}", new { amountCents = 1 }),
            new("commit to B's site", HttpMethod.Post, "/api/funding/commitments", new { funderId = Guid.NewGuid(), siteId = meppen, shareBasisPoints = 100, validFrom = "2030-01-01" }),
            new("change B's commitment", HttpMethod.Put, $"/api/funding/commitments/{commitment}", new { shareBasisPoints = 10_000, validFrom = "2015-01-01" }),
            new("end B's commitment", HttpMethod.Post, $"/api/funding/commitments/{commitment}/end", new { validTo = "2015-01-01" }),
        ];
        var before = await StateAsync(funding);
        var manager = funding.As("network-manager", "it-achse");

        var answers = new List<(Attempt Attempt, HttpStatusCode Status, string? MediaType, string Body)>();
        foreach (var attempt in attempts)
        {
            using var request = new HttpRequestMessage(attempt.Method, new Uri(attempt.Path, UriKind.Relative));
            if (attempt.Body is not null)
            {
                request.Content = JsonContent.Create(attempt.Body);
            }
            var response = await manager.SendAsync(request);
            answers.Add((attempt, response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync()));
        }

        Assert.All(answers, a =>
        {
            Assert.True(a.Status == a.Attempt.Expected, $"{a.Attempt.Name} ({a.Attempt.Method} {a.Attempt.Path}) answered {(int)a.Status}, expected {(int)a.Attempt.Expected}: {a.Body}");
            Assert.Equal("application/problem+json", a.MediaType);
            Assert.DoesNotContain("Meppener Maschinenbau", a.Body, StringComparison.Ordinal);
        });
        Assert.Equal(before, await StateAsync(funding));
        // The same manager still runs its own network: the refusals are about the network, not the role.
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync(new Uri("/api/funding/networks/it-achse/fees", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("integrator")]
    [InlineData("network-manager")]
    public async Task a_networks_fee_schedule_and_budgets_stay_readable_to_admins_integrators_and_its_own_managers(string role)
    {
        await using var funding = await servers.StartAsync(DatabaseEngine.Sqlite);
        await funding.GivenNetworkAsync("mema", "MEMA");
        var meppen = await funding.GivenSiteAsync("mema", "Meppen", "2015-01-01");
        (await funding.Admin.PutAsJsonAsync(new Uri($"/api/funding/sites/{meppen}/budgets/{ThisYear}", UriKind.Relative), new { amountCents = 1_000_000 })).EnsureSuccessStatusCode();
        var client = funding.As(role, "mema");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/funding/networks/mema/fees", UriKind.Relative))).StatusCode);
        var budget = await funding.GetJsonAsync($"/api/funding/sites/{meppen}/budgets/{ThisYear}", client);
        Assert.Equal(1_000_000, budget.GetProperty("amountCents").GetInt64());
    }
}
