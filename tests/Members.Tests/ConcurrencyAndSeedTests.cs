using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using EmsAchse.Members.Seed;
using EmsAchse.Platform.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static EmsAchse.Members.Tests.MembersService;

namespace EmsAchse.Members.Tests;

[Collection(MembersCollection.Name)]
public sealed class ConcurrencyAndSeedTests(MembersServers servers)
{
    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task concurrent_registrations_of_the_same_organisation_leave_one_and_refuse_the_rest_with_409(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            members.Admin.PostAsJsonAsync(Url("/api/members/organizations"), NewOrg(name: i % 2 == 0 ? "Emsland Software GmbH" : "EMSLAND SOFTWARE GMBH"))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var list = await members.Admin.GetFromJsonAsync<JsonElement>(Url("/api/members/organizations?includeUnlisted=true"));
        Assert.Equal(1, list.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task concurrent_approvals_activate_once_and_publish_one_event(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var id = await members.ApplyAsync(await members.CreateOrganizationAsync(NewOrg()), "it-achse");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => members.Admin.PostAsync(Url($"/api/members/applications/{id}/approve"), null)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, await members.EventsAsync("MembershipActivated"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task the_demo_seed_loads_the_regions_organisations_once_and_announces_each_active_membership(DatabaseEngine engine)
    {
        var database = engine == DatabaseEngine.Postgres ? await servers.Postgres.CreateDatabaseAsync("members") : EmsAchse.TestSupport.SqliteFiles.NewDatabase("members");
        for (var start = 0; start < 2; start++)
        {
            await using var host = new EmsAchse.TestSupport.ServiceHost<Program>(database, servers.RabbitMq.AmqpUri);
            await using var seeded = host.WithWebHostBuilder(b => b.UseSetting("Seed:Demo", "true"));
            _ = seeded.Server;
            var db = seeded.Services.GetRequiredService<ServiceDatabase>();
            await using var connection = await db.OpenAsync();
            Assert.Equal(350, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM organizations"));
            Assert.Equal(6, await connection.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT district) FROM organizations"));
            var active = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM memberships WHERE status = 'active'");
            var announced = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE message_type LIKE '%.MembershipActivated,%'");
            Assert.InRange(active, 100, 350);
            Assert.Equal(active, announced);

            var client = seeded.CreateClient();
            var hochschule = await client.GetFromJsonAsync<JsonElement>(Url("/api/members/organizations?q=hochschule%20osnabruck"));
            Assert.Equal("Hochschule Osnabrück Campus Lingen", hochschule.GetProperty("items")[0].GetProperty("name").GetString());
            var itAchse = await client.GetFromJsonAsync<JsonElement>(Url("/api/members/organizations?network=it-achse&pageSize=1"));
            Assert.True(itAchse.GetProperty("total").GetInt32() > 10);
        }
    }

    [Fact]
    public void the_generator_makes_the_demo_organisations_from_the_same_seed_every_time()
    {
        var options = new SeedOptions();
        var first = new OrganizationGenerator(options.GeneratorSeed).Generate(options.DemoOrganizations).Select(o => o.Id).ToList();
        var second = new OrganizationGenerator(options.GeneratorSeed).Generate(options.DemoOrganizations).Select(o => o.Id).ToList();
        Assert.Equal(first, second);
    }
}
