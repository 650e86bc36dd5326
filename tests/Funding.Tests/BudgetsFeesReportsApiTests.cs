using EmsAchse.ReadModels;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Funding.Fees;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using Xunit;

namespace EmsAchse.Funding.Tests;

[Collection(FundingCollection.Name)]
public sealed class BudgetsFeesReportsApiTests(FundingServers servers)
{
    private static Uri Url(string path) => new(path, UriKind.Relative);

    private static readonly int ThisYear = BusinessCalendar.Today(TimeProvider.System).Year;

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_budget_is_split_among_the_funders_to_the_cent(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var site = await funding.GivenSiteAsync();
        var a = await funding.CreateFunderAsync("Landkreis Emsland");
        var b = await funding.CreateFunderAsync("Stadt Lingen (Ems)", "city");
        var c = await funding.CreateFunderAsync("NBank", "state", null);
        await funding.CommittedAsync(a, site, 3333, "2020-01-01");
        await funding.CommittedAsync(b, site, 3333, "2020-01-01");
        await funding.CommittedAsync(c, site, 3334, "2020-01-01");

        var response = await funding.As("network-manager", "it-achse").PutAsJsonAsync(Url($"/api/funding/sites/{site}/budgets/2025"), new { amountCents = 100_001 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var budget = await response.Content.ReadFromJsonAsync<JsonElement>();
        var contributions = budget.GetProperty("contributions").EnumerateArray().ToDictionary(x => x.GetProperty("funderId").GetGuid(), x => x.GetProperty("amountCents").GetInt64());
        Assert.Equal(100_001, contributions.Values.Sum());
        Assert.Equal(33_341, contributions[c]);
        Assert.Equal(100_001, budget.GetProperty("coveredCents").GetInt64());
        var again = await funding.GetJsonAsync($"/api/funding/sites/{site}/budgets/2025", funding.As("integrator"));
        Assert.Equal(100_001, again.GetProperty("amountCents").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await funding.Admin.GetAsync(Url($"/api/funding/sites/{site}/budgets/2024"))).StatusCode);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task refused_budgets_leave_the_budget_as_it_was(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var site = await funding.GivenSiteAsync();
        var url = Url($"/api/funding/sites/{site}/budgets/2025");
        (await funding.Admin.PutAsJsonAsync(url, new { amountCents = 50_000 })).EnsureSuccessStatusCode();

        var negative = await funding.Admin.PutAsJsonAsync(url, new { amountCents = -1 });
        var missing = await funding.Admin.PutAsJsonAsync(url, new { });
        var badYear = await funding.Admin.PutAsJsonAsync(Url($"/api/funding/sites/{site}/budgets/1999"), new { amountCents = 1 });
        var otherManager = await funding.As("network-manager", "mema").PutAsJsonAsync(url, new { amountCents = 1 });
        var integrator = await funding.As("integrator").PutAsJsonAsync(url, new { amountCents = 1 });
        var anonymous = await funding.Anonymous.PutAsJsonAsync(url, new { amountCents = 1 });
        var unknownSite = await funding.Admin.PutAsJsonAsync(Url($"/api/funding/sites/{Guid.NewGuid()}/budgets/2025"), new { amountCents = 1 });

        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.True((await negative.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("amountCents", out _));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badYear.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherManager.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, integrator.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownSite.StatusCode);
        Assert.Equal(50_000, (await funding.GetJsonAsync($"/api/funding/sites/{site}/budgets/2025")).GetProperty("amountCents").GetInt64());
        Assert.Equal(1, await funding.CountAsync("SELECT COUNT(*) FROM site_budgets"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_network_sets_its_fee_schedule_which_may_be_zero(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        await funding.GivenNetworkAsync("it-achse", "IT-Achse");
        await funding.GivenNetworkAsync("kunststoffnetzwerk", "Kunststoffnetzwerk");

        var unset = await funding.GetJsonAsync("/api/funding/networks/it-achse/fees", funding.As("integrator"));
        Assert.False(unset.GetProperty("configured").GetBoolean());

        var set = await funding.As("network-manager", "it-achse").PutAsJsonAsync(Url("/api/funding/networks/IT-Achse/fees"), new { annualFeeCents = new { Company = 60_000, education = 15_000 } });
        var zero = await funding.Admin.PutAsJsonAsync(Url("/api/funding/networks/kunststoffnetzwerk/fees"), new { annualFeeCents = new { company = 0 } });

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.OK, zero.StatusCode);
        var fees = await funding.GetJsonAsync("/api/funding/networks/it-achse/fees");
        Assert.True(fees.GetProperty("configured").GetBoolean());
        Assert.Equal(60_000, fees.GetProperty("annualFeeCents").GetProperty("company").GetInt64());
        Assert.Equal(15_000, fees.GetProperty("annualFeeCents").GetProperty("education").GetInt64());
        Assert.Equal(0, fees.GetProperty("annualFeeCents").GetProperty("chamber").GetInt64());
        var plastics = await funding.GetJsonAsync("/api/funding/networks/kunststoffnetzwerk/fees");
        Assert.True(plastics.GetProperty("configured").GetBoolean());
        Assert.All(plastics.GetProperty("annualFeeCents").EnumerateObject(), f => Assert.Equal(0, f.Value.GetInt64()));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task refused_fee_schedules_leave_the_schedule_as_it_was(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        await funding.GivenNetworkAsync("it-achse", "IT-Achse");
        var url = Url("/api/funding/networks/it-achse/fees");
        (await funding.Admin.PutAsJsonAsync(url, new { annualFeeCents = new { company = 60_000 } })).EnsureSuccessStatusCode();

        var badKind = await funding.Admin.PutAsJsonAsync(url, new { annualFeeCents = new { bank = 1 } });
        var negative = await funding.Admin.PutAsJsonAsync(url, new { annualFeeCents = new { company = -5 } });
        var missing = await funding.Admin.PutAsJsonAsync(url, new { });
        var otherManager = await funding.As("network-manager", "mema").PutAsJsonAsync(url, new { annualFeeCents = new { company = 1 } });
        var anonymous = await funding.Anonymous.PutAsJsonAsync(url, new { annualFeeCents = new { company = 1 } });
        var unknown = await funding.Admin.PutAsJsonAsync(Url("/api/funding/networks/nope/fees"), new { annualFeeCents = new { company = 1 } });

        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.True((await badKind.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("annualFeeCents.bank", out _));
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherManager.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await funding.Admin.GetAsync(Url("/api/funding/networks/nope/fees"))).StatusCode);
        Assert.Equal(60_000, (await funding.GetJsonAsync("/api/funding/networks/it-achse/fees")).GetProperty("annualFeeCents").GetProperty("company").GetInt64());
        Assert.Equal(0, await funding.CountAsync("SELECT COUNT(*) FROM fee_schedules WHERE network_slug = 'nope'"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task the_network_report_shows_budgets_shares_contributions_gaps_and_fee_income_as_json_and_csv(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        await funding.GivenNetworkAsync("it-achse", "IT-Achse");
        var lingen = await funding.GivenSiteAsync(name: "Lingen", opened: "2012-01-01");
        var leer = await funding.GivenSiteAsync(name: "Leer", opened: "2014-01-01");
        var emsland = await funding.CreateFunderAsync("Landkreis Emsland");
        var stadt = await funding.CreateFunderAsync("Stadt Lingen (Ems)", "city");
        await funding.CommittedAsync(emsland, lingen, 5000, "2012-01-01");
        await funding.CommittedAsync(stadt, lingen, 5000, $"{ThisYear}-07-01");
        (await funding.Admin.PutAsJsonAsync(Url($"/api/funding/sites/{lingen}/budgets/{ThisYear}"), new { amountCents = 10_000_000 })).EnsureSuccessStatusCode();
        (await funding.Admin.PutAsJsonAsync(Url("/api/funding/networks/it-achse/fees"), new { annualFeeCents = new { company = 36_500 } })).EnsureSuccessStatusCode();
        await funding.Database.WriteAsync(async tx =>
        {
            await NetworkMembersConsumer.CopyMembershipAsync(tx, Guid.NewGuid(), Guid.NewGuid(), "Emsland Software GmbH", "company", "emsland", "it-achse", "active", new DateOnly(2020, 1, 1), null, 2);
            await FeeClaims.IssueMissingAsync(tx, ThisYear);
        });

        var report = await funding.GetJsonAsync($"/api/funding/networks/it-achse/report?year={ThisYear}", funding.As("network-manager", "it-achse"));

        Assert.Equal("IT-Achse", report.GetProperty("networkName").GetString());
        var sites = report.GetProperty("sites").EnumerateArray().ToList();
        Assert.Equal(["Leer", "Lingen"], sites.Select(s => s.GetProperty("name").GetString()));
        var l = sites[1];
        Assert.Equal(10_000_000, l.GetProperty("budgetCents").GetInt64());
        Assert.Equal(2, l.GetProperty("shares").GetArrayLength());
        var contributions = l.GetProperty("contributions").EnumerateArray().Select(c => c.GetProperty("amountCents").GetInt64()).ToList();
        Assert.Equal(l.GetProperty("coveredCents").GetInt64(), contributions.Sum());
        Assert.Equal(5_000_000, contributions.Max());
        var gap = Assert.Single(l.GetProperty("gaps").EnumerateArray());
        Assert.Equal($"{ThisYear}-01-01", gap.GetProperty("from").GetString());
        Assert.Equal($"{ThisYear}-06-30", gap.GetProperty("to").GetString());
        Assert.Equal(5000, gap.GetProperty("totalBasisPoints").GetInt32());
        Assert.Equal(JsonValueKind.Null, sites[0].GetProperty("budgetCents").ValueKind);
        Assert.Equal(0, Assert.Single(sites[0].GetProperty("gaps").EnumerateArray()).GetProperty("totalBasisPoints").GetInt32());
        Assert.Equal(36_500, report.GetProperty("feeIncome").GetProperty("amountCents").GetInt64());
        Assert.Equal(1, report.GetProperty("feeIncome").GetProperty("claims").GetInt32());

        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, Url($"/api/funding/networks/it-achse/report?year={ThisYear}"));
        csvRequest.Headers.Accept.ParseAdd("text/csv");
        var csv = await funding.Admin.SendAsync(csvRequest);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("network,year,line,site_id,site,", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, x => x.Contains(",gap,", StringComparison.Ordinal) && x.Contains($"{ThisYear}-06-30", StringComparison.Ordinal));
        Assert.Contains(lines, x => x.StartsWith($"it-achse,{ThisYear},fee-income-total,", StringComparison.Ordinal) && x.Contains(",36500,", StringComparison.Ordinal));
        Assert.Contains(lines, x => x.Contains(",contribution,", StringComparison.Ordinal) && x.Contains("Stadt Lingen (Ems)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("network-manager", HttpStatusCode.Forbidden)]
    public async Task reports_are_for_admins_and_the_networks_managers(string? role, HttpStatusCode expected)
    {
        await using var funding = await servers.StartAsync(DatabaseEngine.Sqlite);
        await funding.GivenNetworkAsync("it-achse", "IT-Achse");

        Assert.Equal(expected, (await funding.As(role, "mema").GetAsync(Url("/api/funding/networks/it-achse/report"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await funding.Admin.GetAsync(Url("/api/funding/networks/nope/report"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await funding.Admin.GetAsync(Url("/api/funding/networks/it-achse/report?year=1800"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await funding.Admin.GetAsync(Url("/api/funding/networks/it-achse/report"))).StatusCode);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_site_named_like_a_formula_reaches_the_report_csv_as_text_and_the_amounts_as_numbers(DatabaseEngine engine)
    {
        const string evil = "=HYPERLINK(\"http://evil.example\",\"Lingen\")";
        await using var funding = await servers.StartAsync(engine);
        await funding.GivenNetworkAsync("it-achse", "IT-Achse");
        var site = await funding.GivenSiteAsync(name: evil, opened: "2012-01-01");
        await funding.CommittedAsync(await funding.CreateFunderAsync("Landkreis Emsland"), site, 5000, "2012-01-01");
        (await funding.Admin.PutAsJsonAsync(Url($"/api/funding/sites/{site}/budgets/{ThisYear}"), new { amountCents = 1_000_000 })).EnsureSuccessStatusCode();

        var csv = await funding.As("network-manager", "it-achse").GetStringAsync(Url($"/api/funding/networks/it-achse/report?year={ThisYear}&format=csv"));

        var rows = ParseCsv(csv);
        var header = rows[0];
        var siteRows = rows.Where(r => r[header.IndexOf("site_id")] == site.ToString("D")).ToList();
        Assert.NotEmpty(siteRows);
        Assert.All(siteRows, r => Assert.Equal("'" + evil, r[header.IndexOf("site")]));
        Assert.DoesNotContain(rows.SelectMany(r => r), cell => cell.StartsWith('='));
        var budget = Assert.Single(siteRows, r => r[header.IndexOf("line")] == "budget");
        Assert.Equal("1000000", budget[header.IndexOf("budget_cents")]);
        Assert.Equal("500000", budget[header.IndexOf("amount_cents")]);
    }

    /// <summary>RFC 4180 as a spreadsheet reads it: quoted cells with doubled quotes, CRLF between rows.</summary>
    private static List<List<string>> ParseCsv(string csv)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                cell.Append(c);
            }
        }
        return rows;
    }
}
