using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmsAchse.Contracts.Members;
using EmsAchse.Platform.Persistence;
using EmsAchse.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static EmsAchse.Members.Tests.MembersService;

namespace EmsAchse.Members.Tests;

/// <summary>A re-sync request, arriving on the real broker, makes members publish the current state again.</summary>
[Collection(MembersCollection.Name)]
public sealed class ResyncTests(MembersServers servers)
{
    private static readonly string[] Types =
        ["OrganizationUpdated", "OrganizationErased", "MembershipApplied", "MembershipActivated", "MembershipEnded", "MembershipRejected"];

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_resync_request_republishes_every_membership_and_its_organisation_at_their_current_versions_and_keeps_erasures(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine);
        var renamed = await members.CreateOrganizationAsync(NewOrg(name: "Emsland Software GmbH"));
        var active = await members.MemberAsync(renamed, "it-achse");
        (await members.Admin.PutAsJsonAsync(Url($"/api/members/organizations/{renamed}"), NewOrg(name: "Emsland Software AG"))).EnsureSuccessStatusCode();
        var applicant = await members.CreateOrganizationAsync(NewOrg(name: "Leer Logistik GmbH", town: "Leer", district: "leer"));
        var applied = await members.ApplyAsync(applicant, "mema");
        var rejected = await members.ApplyAsync(applicant, "it-achse");
        (await members.Admin.PostAsJsonAsync(Url($"/api/members/applications/{rejected}/reject"), new { reason = "Kein IT-Bezug" })).EnsureSuccessStatusCode();
        var leaver = await members.CreateOrganizationAsync(NewOrg(name: "Papenburger Werft KG", town: "Papenburg"));
        var ended = await members.MemberAsync(leaver, "it-achse");
        (await members.Admin.PostAsync(Url($"/api/members/memberships/{ended}/end"), null)).EnsureSuccessStatusCode();
        var erased = await members.CreateOrganizationAsync(NewOrg(name: "Einzelhandel Meyer", town: "Meppen"));
        var erasedMembership = await members.MemberAsync(erased, "mema");
        (await members.Admin.PostAsync(Url($"/api/members/organizations/{erased}/erase"), null)).EnsureSuccessStatusCode();
        var bystander = await members.CreateOrganizationAsync(NewOrg(name: "Kein Mitglied GmbH", town: "Haren"));
        var before = new Dictionary<string, int>();
        foreach (var type in Types)
        {
            before[type] = (await members.OutboxAsync(type)).Count;
        }
        var originalActivation = (await members.OutboxAsync("MembershipActivated")).Single(e => e.Body.GetProperty("membershipId").GetGuid() == active).Body;

        var bus = await ReadyBusAsync(members);
        await bus.Publish(new MembershipResyncRequested("networks", DateTimeOffset.UtcNow));

        var replayed = new Dictionary<string, List<JsonElement>>();
        await Eventually.SucceedsAsync(async () =>
        {
            Assert.Equal(3, (await members.OutboxAsync("OrganizationUpdated")).Count - before["OrganizationUpdated"]);
            foreach (var type in Types)
            {
                var events = await members.OutboxAsync(type);
                // Through the outbox to the broker: each replayed event is published and confirmed.
                Assert.All(events, e => Assert.True(e.Sent));
                replayed[type] = events.Skip(before[type]).Select(e => e.Body).ToList();
            }
        });

        var organizations = replayed["OrganizationUpdated"].ToDictionary(e => e.GetProperty("organizationId").GetGuid());
        Assert.Equal(new HashSet<Guid> { renamed, applicant, leaver }, organizations.Keys.ToHashSet());
        Assert.DoesNotContain(bystander, organizations.Keys);
        Assert.Equal("Emsland Software AG", organizations[renamed].GetProperty("name").GetString());
        Assert.Equal(2, organizations[renamed].GetProperty("version").GetInt64());
        Assert.Equal("leer", organizations[applicant].GetProperty("district").GetString());
        Assert.Equal(1, organizations[applicant].GetProperty("version").GetInt64());
        // The erased organisation is announced as erased again, never as an update at the erasure's version.
        var erasure = Assert.Single(replayed["OrganizationErased"]);
        Assert.Equal(erased, erasure.GetProperty("organizationId").GetGuid());
        Assert.Equal(2, erasure.GetProperty("version").GetInt64());

        var activations = replayed["MembershipActivated"].ToDictionary(e => e.GetProperty("membershipId").GetGuid());
        Assert.Equal(new HashSet<Guid> { active, erasedMembership }, activations.Keys.ToHashSet());
        Assert.Equal(2, activations[active].GetProperty("version").GetInt64());
        Assert.Equal("Emsland Software AG", activations[active].GetProperty("organizationName").GetString());
        Assert.Equal("company", activations[active].GetProperty("organizationKind").GetString());
        Assert.Equal("emsland", activations[active].GetProperty("district").GetString());
        Assert.Equal("it-achse", activations[active].GetProperty("network").GetString());
        Assert.Equal(originalActivation.GetProperty("since").GetString(), activations[active].GetProperty("since").GetString());
        Assert.Equal(JsonValueKind.Null, activations[active].GetProperty("until").ValueKind);
        var application = Assert.Single(replayed["MembershipApplied"]);
        Assert.Equal((applied, 1L), (application.GetProperty("membershipId").GetGuid(), application.GetProperty("version").GetInt64()));
        var rejection = Assert.Single(replayed["MembershipRejected"]);
        Assert.Equal((rejected, 2L), (rejection.GetProperty("membershipId").GetGuid(), rejection.GetProperty("version").GetInt64()));
        Assert.Equal("Kein IT-Bezug", rejection.GetProperty("reason").GetString());
        var ending = Assert.Single(replayed["MembershipEnded"]);
        var originalEnding = (await members.OutboxAsync("MembershipEnded"))[0].Body;
        Assert.Equal((ended, 3L), (ending.GetProperty("membershipId").GetGuid(), ending.GetProperty("version").GetInt64()));
        Assert.Equal(originalEnding.GetProperty("since").GetString(), ending.GetProperty("since").GetString());
        Assert.Equal(originalEnding.GetProperty("until").GetString(), ending.GetProperty("until").GetString());
    }

    private static async Task<IBus> ReadyBusAsync(MembersService members)
    {
        var client = members.Anonymous;
        // Ready means the bus is connected and this service's queues are bound.
        await Eventually.SucceedsAsync(async () => Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Url("/health/ready"))).StatusCode));
        return members.Host.Services.GetRequiredService<IBus>();
    }
}
