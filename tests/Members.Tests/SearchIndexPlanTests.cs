using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using EmsAchse.Members.Directory;
using EmsAchse.Members.Organizations;
using EmsAchse.Members.Seed;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using Xunit;
using Xunit.Abstractions;
using static EmsAchse.Members.Tests.MembersService;

namespace EmsAchse.Members.Tests;

/// <summary>
/// At 100,000 organisations the directory's text search is answered from the full-text index of
/// each engine (FTS5 on SQLite, GIN over a tsvector on PostgreSQL; the public directory's own and the staff's),
/// not by scanning the table.
/// Speed itself is measured by the benchmark, not here.
/// </summary>
[Collection(MembersCollection.Name)]
public sealed class SearchIndexPlanTests(MembersServers servers, ITestOutputHelper output)
{
    private const int Organizations = 100_000;

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task the_text_search_uses_the_full_text_index_at_100000_organisations(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var clock = Stopwatch.StartNew();
        var generated = new OrganizationGenerator(11).Generate(Organizations).ToList();
        output.WriteLine($"{engine}: generated {generated.Count} organisations in {clock.ElapsedMilliseconds} ms");
        clock.Restart();
        var loaded = await OrganizationLoader.LoadBulkAsync(members.Database, generated, new DateOnly(2025, 1, 1), CancellationToken.None);
        output.WriteLine($"{engine}: loaded {loaded} organisations in {clock.ElapsedMilliseconds} ms");
        Assert.Equal(Organizations, loaded);

        await using var connection = await members.Database.OpenAsync();
        await connection.ExecuteAsync(engine == DatabaseEngine.Postgres ? "VACUUM (ANALYZE) organizations, organization_directory" : "ANALYZE main");
        var filter = new DirectoryFilter(SearchText.QueryTerms("Haselünne kunst"));
        if (engine == DatabaseEngine.Sqlite)
        {
            // The public directory: the total and both ways of finding a page come from its own index (MATCH from FTS5's
            // index, "VIRTUAL TABLE INDEX 0:M..."); organizations is then looked up by rowid or walked in name order.
            var match = DirectoryIndex.Match(filter)!;
            var args = new DynamicParameters(new { match, take = 50, skip = 0 });
            var paging = new PageRequest(1, 50);
            var countPlan = await PlanAsync(connection, engine, DirectoryIndex.CountSql, args);
            var sortPlan = await PlanAsync(connection, engine, DirectoryIndex.PageSql(match, 10, paging), args);
            var walkPlan = await PlanAsync(connection, engine, DirectoryIndex.PageSql(match, 100_000, paging), args);
            output.WriteLine($"count plan:\n{countPlan}\nsorting page plan:\n{sortPlan}\nwalking page plan:\n{walkPlan}");
            foreach (var plan in new[] { countPlan, sortPlan, walkPlan })
            {
                Assert.Contains("VIRTUAL TABLE INDEX 0:M", plan, StringComparison.Ordinal);
                Assert.DoesNotMatch("SCAN o( |$)", plan);
            }
            Assert.Contains("SEARCH o USING INTEGER PRIMARY KEY", sortPlan, StringComparison.Ordinal);
            Assert.Matches("SEARCH o USING (COVERING )?INDEX ix_organizations_listed_order", walkPlan);

            // The staff's search over every organisation: the general SQL over organization_search.
            var (page, count, staffArgs) = DirectoryQuery.Build(engine, filter with { Audience = new DirectoryAudience(true, []) }, paging);
            foreach (var plan in new[] { await PlanAsync(connection, engine, page, staffArgs), await PlanAsync(connection, engine, count, staffArgs) })
            {
                output.WriteLine($"staff plan:\n{plan}");
                Assert.Contains("SCAN s VIRTUAL TABLE INDEX", plan, StringComparison.Ordinal);
                Assert.Matches("SEARCH o USING (INTEGER PRIMARY KEY|(COVERING )?INDEX ix_organizations_search_hit)", plan);
                Assert.DoesNotContain("SCAN o", plan, StringComparison.Ordinal);
            }
        }
        else
        {
            // The public directory: total and page from its own table's GIN index, each page's rows then by primary key.
            var (batch, publicArgs) = DirectoryIndex.PostgresBatch(filter, new PageRequest(1, 50))!.Value;
            var statements = batch.Split(";\n");
            Assert.Equal(2, statements.Length);
            foreach (var statement in statements)
            {
                var plan = await PlanAsync(connection, engine, statement, publicArgs);
                output.WriteLine($"public plan:\n{plan}");
                Assert.Contains("Bitmap Index Scan on ix_organization_directory_terms", plan, StringComparison.Ordinal);
                Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
            }

            // The staff's search over every organisation: the general SQL over organizations' own GIN index.
            var (page, count, args) = DirectoryQuery.Build(engine, filter with { Audience = new DirectoryAudience(true, []) }, new PageRequest(1, 50));
            var pagePlan = await PlanAsync(connection, engine, page, args);
            var countPlan = await PlanAsync(connection, engine, count, args);
            output.WriteLine($"staff page plan:\n{pagePlan}\nstaff count plan:\n{countPlan}");
            // Its total from the GIN index; its page may as well walk the name order and stop after 50 rows.
            Assert.Contains("Bitmap Index Scan on ix_organizations_search", countPlan, StringComparison.Ordinal);
            Assert.Matches("Bitmap Index Scan on ix_organizations_search|Index Scan using ix_organizations_order", pagePlan);
            foreach (var plan in new[] { pagePlan, countPlan })
            {
                Assert.DoesNotContain("Seq Scan on organizations", plan, StringComparison.Ordinal);
            }
        }

        clock.Restart();
        var result = await members.Anonymous.GetFromJsonAsync<JsonElement>(Url("/api/members/organizations?q=haselunne%20kunst&pageSize=20"));
        output.WriteLine($"{engine}: search answered in {clock.ElapsedMilliseconds} ms (first call, cold), total {result.GetProperty("total").GetInt32()}");
        Assert.True(result.GetProperty("total").GetInt32() > 0);
        Assert.All(result.GetProperty("items").EnumerateArray(), o => Assert.Equal("Haselünne", o.GetProperty("town").GetString()));
        var all = await members.Anonymous.GetFromJsonAsync<JsonElement>(Url("/api/members/organizations?pageSize=1"));
        // The public directory lists the organisations with an active membership.
        Assert.Equal(generated.Count(o => o.Networks.Count > 0), all.GetProperty("total").GetInt32());
    }

    private static async Task<string> PlanAsync(System.Data.Common.DbConnection connection, DatabaseEngine engine, string sql, DynamicParameters args)
    {
        if (engine == DatabaseEngine.Sqlite)
        {
            var rows = await connection.QueryAsync("EXPLAIN QUERY PLAN " + sql, args);
            return string.Join('\n', rows.Select(r => (string)r.detail));
        }
        var lines = await connection.QueryAsync<string>("EXPLAIN " + sql, args);
        return string.Join('\n', lines);
    }
}
