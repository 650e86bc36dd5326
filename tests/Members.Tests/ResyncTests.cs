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

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_resync_after_a_watermark_sends_only_what_changed_since_in_pages_and_a_watermark_ahead_of_the_database_gets_everything(DatabaseEngine engine)
    {
        await using var members = await servers.StartAsync(engine, new Dictionary<string, string> { ["Members:ResyncPageSize"] = "2" });
        var renamed = await members.CreateOrganizationAsync(NewOrg(name: "Emsland Software GmbH"));
        var leaver = await members.CreateOrganizationAsync(NewOrg(name: "Leer Logistik GmbH", town: "Leer", district: "leer"));
        var stays = await members.CreateOrganizationAsync(NewOrg(name: "Papenburger Werft KG", town: "Papenburg"));
        await members.MemberAsync(renamed, "it-achse");
        var ending = await members.MemberAsync(leaver, "it-achse");
        await members.MemberAsync(stays, "mema");
        var bus = await ReadyBusAsync(members);

        // Everything: three organisations and three memberships, two per page, so three pages.
        var full = await ResyncAsync(members, bus, after: null);
        Assert.Equal(3, full.Sent["OrganizationUpdated"].Count);
        Assert.Equal(3, full.Sent["MembershipActivated"].Count);
        Assert.Equal(2, full.NextPages);

        // Up to date: the completion alone, at the same watermark.
        var upToDate = await ResyncAsync(members, bus, after: full.Watermark);
        Assert.Equal(full.Watermark, upToDate.Watermark);
        Assert.All(upToDate.Sent.Values, events => Assert.Empty(events));
        Assert.Equal(0, upToDate.NextPages);

        // Two changes since: only they travel, at their new versions.
        (await members.Admin.PutAsJsonAsync(Url($"/api/members/organizations/{renamed}"), NewOrg(name: "Emsland Software AG"))).EnsureSuccessStatusCode();
        (await members.Admin.PostAsync(Url($"/api/members/memberships/{ending}/end"), null)).EnsureSuccessStatusCode();
        var changed = await ResyncAsync(members, bus, after: full.Watermark);
        Assert.True(changed.Watermark > full.Watermark, $"watermark {changed.Watermark} after {full.Watermark}");
        var update = Assert.Single(changed.Sent["OrganizationUpdated"]);
        Assert.Equal((renamed, "Emsland Software AG", 2L), (update.GetProperty("organizationId").GetGuid(), update.GetProperty("name").GetString(), update.GetProperty("version").GetInt64()));
        var ended = Assert.Single(changed.Sent["MembershipEnded"]);
        Assert.Equal((ending, 3L), (ended.GetProperty("membershipId").GetGuid(), ended.GetProperty("version").GetInt64()));
        Assert.Empty(changed.Sent["MembershipActivated"]);

        // A watermark this database never reached (restored from a backup): everything again.
        var ahead = await ResyncAsync(members, bus, after: changed.Watermark + 1000);
        Assert.Equal(changed.Watermark, ahead.Watermark);
        Assert.Equal(3, ahead.Sent["OrganizationUpdated"].Count);
        Assert.Equal(2, ahead.Sent["MembershipActivated"].Count);
        Assert.Single(ahead.Sent["MembershipEnded"]);
    }

    private sealed record Resync(long Watermark, Dictionary<string, List<JsonElement>> Sent, int NextPages);

    /// <summary>Asks as networks would and waits for the completion: the events it sent and the pages it took.</summary>
    private static async Task<Resync> ResyncAsync(MembersService members, IBus bus, long? after)
    {
        var before = new Dictionary<string, int>();
        foreach (var type in Types.Append("MembershipResyncRequested").Append("MembershipResyncCompleted"))
        {
            before[type] = (await members.OutboxAsync(type)).Count;
        }
        await bus.Publish(new MembershipResyncRequested("networks", DateTimeOffset.UtcNow, after));
        JsonElement completion = default;
        await Eventually.SucceedsAsync(async () =>
        {
            var completions = await members.OutboxAsync("MembershipResyncCompleted");
            Assert.Equal(before["MembershipResyncCompleted"] + 1, completions.Count);
            completion = completions[^1].Body;
        });
        var sent = new Dictionary<string, List<JsonElement>>();
        foreach (var type in Types)
        {
            sent[type] = (await members.OutboxAsync(type)).Skip(before[type]).Select(e => e.Body).ToList();
        }
        Assert.Equal("networks", completion.GetProperty("requestedBy").GetString());
        var nextPages = (await members.OutboxAsync("MembershipResyncRequested")).Count - before["MembershipResyncRequested"];
        return new Resync(completion.GetProperty("watermark").GetInt64(), sent, nextPages);
    }

    private static async Task<IBus> ReadyBusAsync(MembersService members)
    {
        var client = members.Anonymous;
        // Ready means the bus is connected and this service's queues are bound.
        await Eventually.SucceedsAsync(async () => Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Url("/health/ready"))).StatusCode));
        return members.Host.Services.GetRequiredService<IBus>();
    }
}
