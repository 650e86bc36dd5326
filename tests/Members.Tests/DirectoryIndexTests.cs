using System.Data.Common;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using EmsAchse.Members.Directory;
using EmsAchse.Members.Organizations;
using EmsAchse.Members.Seed;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using Xunit;
using Xunit.Abstractions;
using static EmsAchse.Members.Tests.MembersService;

namespace EmsAchse.Members.Tests;

/// <summary>
/// Both engines answer the public directory from its own index of the listed organisations (migration 0006: FTS5 on
/// SQLite, a GIN-indexed table on PostgreSQL). Whatever the filters and however the rows got there or changed since,
/// it must list exactly what the general SQL over the tables lists, in the same order.
/// </summary>
[Collection(MembersCollection.Name)]
public sealed class DirectoryIndexTests(MembersServers servers, ITestOutputHelper output)
{
    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task the_public_directory_index_lists_what_the_tables_say_for_every_kind_of_query(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var network = await LoadGeneratedAsync(members, seed: 7, count: 6_000);

        string?[] texts = [null, "gmbh", "ha", "software lingen", "haselunne", "kein treffer xyz"];
        DirectoryFilter[] facets =
        [
            new([]),
            new([], Network: network),
            new([], District: "emsland"),
            new([], Region: "ostfriesland"),
            new([], Industry: "it"),
            new([], Kind: "company"),
            new([], Industry: "plastics", Region: "grafschaft-bentheim"),
            new([], Network: network, District: "leer", Kind: "company"),
            new([], Network: "no-such-network"),
            new([], Network: "it\"achse"),
        ];
        PageRequest[] pages = [new(1, 20), new(4, 20), new(1, 200), new(30, 50)];
        var walked = 0;
        var sorted = 0;
        await using var connection = await members.Database.OpenAsync();
        if (engine == DatabaseEngine.Postgres)
        {
            await connection.ExecuteAsync("ANALYZE organizations, organization_industries, memberships, organization_directory");
        }
        var indexed = 0;
        foreach (var text in texts)
        {
            foreach (var facet in facets)
            {
                var filter = facet with { Terms = SearchText.QueryTerms(text) };
                foreach (var paging in pages)
                {
                    var (total, ids) = await IndexedAsync(connection, engine, filter, paging);
                    Assert.Equal(await GeneralAsync(connection, engine, filter, paging), (total, ids));
                    if (engine == DatabaseEngine.Postgres)
                    {
                        indexed += DirectoryIndex.PostgresBatch(filter, paging) is null || total == 0 ? 0 : 1;
                    }
                    else if (DirectoryIndex.Match(filter) is { } match && match != DirectoryIndex.MatchAll && total > 0)
                    {
                        _ = DirectoryIndex.WalksNameOrder(total, paging.Offset + paging.PageSize) ? walked++ : sorted++;
                    }
                }
            }
        }
        if (engine == DatabaseEngine.Postgres)
        {
            output.WriteLine($"{indexed} non-empty pages came from the index");
            Assert.True(indexed > 100, $"the index answered {indexed} non-empty pages");
        }
        else
        {
            output.WriteLine($"{walked} pages walked the name order, {sorted} sorted their hits");
            Assert.True(walked > 0 && sorted > 0, $"both ways of finding a page are compared ({walked} walked, {sorted} sorted)");
        }
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task the_public_directory_index_follows_memberships_and_changes_of_the_organisation(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var holzbau = await members.CreateOrganizationAsync(NewOrg("Haselünner Holzbau GmbH", "Haselünne", "emsland", industries: ["wood"]));
        var reederei = await members.CreateOrganizationAsync(NewOrg("Reederei Janssen GmbH", "Leer (Ostfriesland)", "leer", industries: ["shipping"]));
        Assert.Empty(await PublicAsync(members, "q=gmbh"));

        var itAchse = await members.MemberAsync(holzbau, "it-achse");
        var application = await members.ApplyAsync(reederei, "it-achse");
        Assert.Equal(["Haselünner Holzbau GmbH"], await PublicAsync(members, "q=gmbh"));
        Assert.Equal(["Haselünner Holzbau GmbH"], await PublicAsync(members, "network=it-achse&industry=wood&district=emsland&region=emsland&kind=company"));
        Assert.Empty(await PublicAsync(members, "network=mema"));

        // A second network, then the first one ended: the organisation stays listed under the second only.
        var mema = await members.MemberAsync(holzbau, "mema");
        Assert.Equal(["Haselünner Holzbau GmbH"], await PublicAsync(members, "network=mema&q=hasel"));
        (await members.Admin.PostAsync(Url($"/api/members/memberships/{itAchse}/end"), null)).EnsureSuccessStatusCode();
        Assert.Empty(await PublicAsync(members, "network=it-achse"));
        Assert.Equal(["Haselünner Holzbau GmbH"], await PublicAsync(members, "network=mema"));

        // Its name, district and industries changed: found by the new ones only.
        (await members.Admin.PutAsJsonAsync(Url($"/api/members/organizations/{holzbau}"),
            NewOrg("Leeraner Zimmerei GmbH", "Leer (Ostfriesland)", "leer", industries: ["construction", "energy"]))).EnsureSuccessStatusCode();
        Assert.Empty(await PublicAsync(members, "q=holzbau"));
        Assert.Empty(await PublicAsync(members, "industry=wood"));
        Assert.Empty(await PublicAsync(members, "district=emsland"));
        Assert.Equal(["Leeraner Zimmerei GmbH"], await PublicAsync(members, "q=zimmerei&district=leer&region=ostfriesland&industry=energy"));
        Assert.Equal(["Leeraner Zimmerei GmbH"], await PublicAsync(members, "industry=construction"));

        // The applicant approved, then the other's last membership ended: only the new member is left, under its own filters.
        (await members.Admin.PostAsync(Url($"/api/members/applications/{application}/approve"), null)).EnsureSuccessStatusCode();
        (await members.Admin.PostAsync(Url($"/api/members/memberships/{mema}/end"), null)).EnsureSuccessStatusCode();
        Assert.Equal(["Reederei Janssen GmbH"], await PublicAsync(members, "q=gmbh"));
        Assert.Equal(["Reederei Janssen GmbH"], await PublicAsync(members, "network=it-achse&industry=shipping"));
        Assert.Empty(await PublicAsync(members, "network=mema"));

        await using var connection = await members.Database.OpenAsync();
        foreach (var filter in new DirectoryFilter[] { new([]), new(SearchText.QueryTerms("gmbh")), new([], Network: "it-achse"), new([], Industry: "construction") })
        {
            Assert.Equal(await GeneralAsync(connection, engine, filter, new PageRequest(1, 50)), await IndexedAsync(connection, engine, filter, new PageRequest(1, 50)));
        }
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task the_migration_fills_the_index_of_a_database_that_already_holds_organisations(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var network = await LoadGeneratedAsync(members, seed: 5, count: 1_500);
        await using var connection = await members.Database.OpenAsync();

        // Back to the schema before migration 0006, the organisations and memberships kept: an upgraded installation.
        await connection.ExecuteAsync(engine == DatabaseEngine.Postgres
            ? """
              DROP FUNCTION organizations_directory() CASCADE;
              DROP FUNCTION organization_industries_directory() CASCADE;
              DROP FUNCTION organization_directory_refresh(uuid);
              DROP VIEW organization_directory_terms;
              DROP TABLE organization_directory;
              """
            : """
              DROP TRIGGER organizations_directory_insert; DROP TRIGGER organizations_directory_update; DROP TRIGGER organizations_directory_delete;
              DROP TRIGGER organization_industries_directory_insert; DROP TRIGGER organization_industries_directory_delete; DROP TRIGGER organization_industries_directory_update;
              DROP VIEW organization_directory_terms;
              DROP TABLE organization_directory;
              """);
        Assert.Equal(1, await connection.ExecuteAsync("DELETE FROM schema_versions WHERE version = 'service/0006_directory_index.sql'"));

        var runner = members.Host.Services.GetRequiredService<MigrationRunner>();
        Assert.Equal(["service/0006_directory_index.sql"], await runner.ApplyAsync(MigrationRunner.ForService(typeof(DirectoryIndex).Assembly, engine)));
        var listed = await connection.ExecuteScalarAsync<long>(engine == DatabaseEngine.Postgres ? "SELECT COUNT(*) FROM organizations WHERE listed" : "SELECT COUNT(*) FROM organizations WHERE listed = 1");
        Assert.True(listed > 100, $"{listed} listed organisations to fill the index with");
        foreach (var filter in new DirectoryFilter[]
        {
            new(SearchText.QueryTerms("gmbh")),
            new(SearchText.QueryTerms("ha")),
            new([], Network: network),
            new([], Industry: "it", Region: "emsland"),
            new(SearchText.QueryTerms("software"), Network: network, Kind: "company"),
        })
        {
            Assert.Equal(await GeneralAsync(connection, engine, filter, new PageRequest(1, 50)), await IndexedAsync(connection, engine, filter, new PageRequest(1, 50)));
        }
        Assert.Equal(listed, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM organization_directory"));
    }

    /// <summary>Generated organisations with their memberships, loaded in bulk; returns the network most of them belong to.</summary>
    private static async Task<string> LoadGeneratedAsync(MembersService members, int seed, int count)
    {
        var generated = new OrganizationGenerator(seed).Generate(count).ToList();
        await OrganizationLoader.LoadBulkAsync(members.Database, generated, new DateOnly(2025, 1, 1), CancellationToken.None);
        return generated.SelectMany(o => o.Networks).GroupBy(n => n).OrderByDescending(g => g.Count()).First().Key;
    }

    private static async Task<List<string>> PublicAsync(MembersService members, string query)
    {
        var page = await members.Anonymous.GetFromJsonAsync<JsonElement>(Url($"/api/members/organizations?{query}"));
        var names = page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();
        Assert.Equal(names.Count, page.GetProperty("total").GetInt32());
        return names;
    }

    private static async Task<(long Total, string Ids)> IndexedAsync(DbConnection connection, DatabaseEngine engine, DirectoryFilter filter, PageRequest paging)
    {
        var result = await DirectoryQuery.SearchAsync(connection, engine, filter, paging, CancellationToken.None);
        return (result.Total, string.Join(',', result.Items.Select(o => o.Id)));
    }

    /// <summary>The same filter through the general SQL over the tables (what the staff's searches and PostgreSQL run).</summary>
    private static async Task<(long Total, string Ids)> GeneralAsync(DbConnection connection, DatabaseEngine engine, DirectoryFilter filter, PageRequest paging)
    {
        var (page, count, args) = DirectoryQuery.Build(engine, filter, paging);
        var total = await connection.ExecuteScalarAsync<long>(count, args);
        var rows = await connection.QueryAsync<OrganizationStore.OrganizationRow>(page, args);
        return (total, string.Join(',', rows.Select(o => o.Id)));
    }
}
