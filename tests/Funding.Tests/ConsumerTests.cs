using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using EmsAchse.Contracts.Members;
using EmsAchse.Contracts.Networks;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using EmsAchse.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EmsAchse.Funding.Tests;

/// <summary>Events from the networks and members services arrive through the real broker.</summary>
[Collection(FundingCollection.Name)]
public sealed class ConsumerTests(FundingServers servers)
{
    private static Uri Url(string path) => new(path, UriKind.Relative);

    private static async Task<IBus> ReadyBusAsync(FundingService funding)
    {
        var client = funding.Anonymous;
        await Eventually.SucceedsAsync(async () => (await client.GetAsync(Url("/health/ready"))).EnsureSuccessStatusCode());
        return funding.Host.Services.GetRequiredService<IBus>();
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task an_activated_membership_yields_one_pro_rata_fee_claim_however_often_it_arrives(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var bus = await ReadyBusAsync(funding);
        var slug = $"n{Guid.NewGuid():N}"[..12];
        await bus.Publish(new NetworkRegistered(slug, "Testnetz", "", [], null, "active", 1, DateTimeOffset.UtcNow));
        await Eventually.SucceedsAsync(async () =>
            (await funding.Admin.PutAsJsonAsync(Url($"/api/funding/networks/{slug}/fees"), new { annualFeeCents = new { company = 36_500, chamber = 0 } })).EnsureSuccessStatusCode());
        var today = BusinessCalendar.Today(TimeProvider.System);
        var activated = new MembershipActivated(Guid.NewGuid(), Guid.NewGuid(), "Emsland Software GmbH", "company", "emsland", slug, "active", today, null, 2, DateTimeOffset.UtcNow);
        var messageId = NewId.NextGuid();

        await bus.Publish(activated, c => c.MessageId = messageId);
        await bus.Publish(activated, c => c.MessageId = messageId);
        // A chamber pays no fee in this network: no claim.
        await bus.Publish(activated with { MembershipId = Guid.NewGuid(), OrganizationKind = "chamber" });

        var claim = default(JsonElement);
        await Eventually.SucceedsAsync(async () =>
        {
            var claims = await funding.GetJsonAsync($"/api/funding/networks/{slug}/fee-claims");
            claim = Assert.Single(claims.GetProperty("items").EnumerateArray());
        });
        var daysLeft = new DateOnly(today.Year, 12, 31).DayNumber - today.DayNumber + 1;
        var daysInYear = DateTime.IsLeapYear(today.Year) ? 366 : 365;
        Assert.Equal((long)Math.Round(36_500m * daysLeft / daysInYear, MidpointRounding.AwayFromZero), claim.GetProperty("amountCents").GetInt64());
        Assert.Equal(today.ToString("yyyy-MM-dd"), claim.GetProperty("periodFrom").GetString());
        Assert.Equal(activated.MembershipId, claim.GetProperty("membershipId").GetGuid());
        await Eventually.SucceedsAsync(async () => Assert.Equal(2, await funding.CountAsync("SELECT COUNT(*) FROM network_members")));
        Assert.Equal(1, await funding.CountAsync("SELECT COUNT(*) FROM fee_claims"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task an_ended_membership_is_not_revived_by_a_late_activation(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var bus = await ReadyBusAsync(funding);
        await funding.GivenNetworkAsync("it-achse", "IT-Achse");
        (await funding.Admin.PutAsJsonAsync(Url("/api/funding/networks/it-achse/fees"), new { annualFeeCents = new { company = 50_000 } })).EnsureSuccessStatusCode();
        var today = BusinessCalendar.Today(TimeProvider.System);
        var id = Guid.NewGuid();

        await bus.Publish(new MembershipEnded(id, Guid.NewGuid(), "Altes Unternehmen", "company", "leer", "it-achse", "ended", new DateOnly(2020, 1, 1), today, 3, DateTimeOffset.UtcNow));
        await Eventually.SucceedsAsync(async () => Assert.Equal(1, await funding.CountAsync("SELECT COUNT(*) FROM network_members WHERE status = 'ended'")));
        await bus.Publish(new MembershipActivated(id, Guid.NewGuid(), "Altes Unternehmen", "company", "leer", "it-achse", "active", new DateOnly(2020, 1, 1), null, 2, DateTimeOffset.UtcNow));
        await Eventually.SucceedsAsync(async () => Assert.Equal(2, await funding.CountAsync("SELECT COUNT(*) FROM inbox_messages WHERE consumer = 'funding-network-members'")));

        Assert.Equal(0, await funding.CountAsync("SELECT COUNT(*) FROM fee_claims"));
        Assert.Equal(3, await funding.CountAsync("SELECT version FROM network_members"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_member_that_becomes_a_company_owes_the_company_fee_under_its_new_name_and_an_older_rename_changes_nothing(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var bus = await ReadyBusAsync(funding);
        await funding.GivenNetworkAsync("it-achse", "IT-Achse");
        (await funding.Admin.PutAsJsonAsync(Url("/api/funding/networks/it-achse/fees"), new { annualFeeCents = new { company = 36_500, chamber = 0 } })).EnsureSuccessStatusCode();
        var today = BusinessCalendar.Today(TimeProvider.System);
        var organizationId = Guid.NewGuid();
        await bus.Publish(new MembershipActivated(Guid.NewGuid(), organizationId, "Kammer Emsland", "chamber", "emsland", "it-achse", "active", today, null, 2, DateTimeOffset.UtcNow));
        await Eventually.SucceedsAsync(async () => Assert.Equal(1, await funding.CountAsync("SELECT COUNT(*) FROM network_members")));
        Assert.Equal(0, await funding.CountAsync("SELECT COUNT(*) FROM fee_claims"));

        await bus.Publish(new OrganizationUpdated(organizationId, "Emsland Software GmbH", "company", "emsland", 2, DateTimeOffset.UtcNow));

        var claim = default(JsonElement);
        await Eventually.SucceedsAsync(async () =>
        {
            var claims = await funding.GetJsonAsync("/api/funding/networks/it-achse/fee-claims");
            claim = Assert.Single(claims.GetProperty("items").EnumerateArray());
        });
        Assert.Equal("Emsland Software GmbH", claim.GetProperty("organizationName").GetString());
        Assert.Equal("company", claim.GetProperty("organizationKind").GetString());
        Assert.Equal(36_500, claim.GetProperty("annualFeeCents").GetInt64());

        await bus.Publish(new OrganizationUpdated(organizationId, "Emsland Software AG", "company", "emsland", 4, DateTimeOffset.UtcNow));
        await Eventually.SucceedsAsync(async () => Assert.Equal(3, await funding.CountAsync("SELECT COUNT(*) FROM inbox_messages WHERE consumer = 'funding-network-members'")));
        await bus.Publish(new OrganizationUpdated(organizationId, "Emsland Software KG", "chamber", "emsland", 3, DateTimeOffset.UtcNow));
        await Eventually.SucceedsAsync(async () => Assert.Equal(4, await funding.CountAsync("SELECT COUNT(*) FROM inbox_messages WHERE consumer = 'funding-network-members'")));

        Assert.Equal(1, await funding.CountAsync("SELECT COUNT(*) FROM network_members WHERE organization_name = 'Emsland Software AG' AND organization_kind = 'company'"));
        // A claim once issued keeps the name and kind it was issued for.
        Assert.Equal(1, await funding.CountAsync("SELECT COUNT(*) FROM fee_claims WHERE organization_name = 'Emsland Software GmbH'"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task an_activation_delivered_after_a_rename_it_predates_is_claimed_under_the_new_name(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var bus = await ReadyBusAsync(funding);
        await funding.GivenNetworkAsync("it-achse", "IT-Achse");
        (await funding.Admin.PutAsJsonAsync(Url("/api/funding/networks/it-achse/fees"), new { annualFeeCents = new { company = 36_500 } })).EnsureSuccessStatusCode();
        var today = BusinessCalendar.Today(TimeProvider.System);
        var organizationId = Guid.NewGuid();

        await bus.Publish(new OrganizationUpdated(organizationId, "Leer Logistik AG", "company", "leer", 2, DateTimeOffset.UtcNow));
        await Eventually.SucceedsAsync(async () => Assert.Equal(1, await funding.CountAsync("SELECT COUNT(*) FROM inbox_messages WHERE consumer = 'funding-network-members'")));
        await bus.Publish(new MembershipActivated(Guid.NewGuid(), organizationId, "Leer Logistik GmbH", "company", "leer", "it-achse", "active", today, null, 2, DateTimeOffset.UtcNow));

        var claim = default(JsonElement);
        await Eventually.SucceedsAsync(async () =>
        {
            var claims = await funding.GetJsonAsync("/api/funding/networks/it-achse/fee-claims");
            claim = Assert.Single(claims.GetProperty("items").EnumerateArray());
        });
        Assert.Equal("Leer Logistik AG", claim.GetProperty("organizationName").GetString());
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task an_opened_site_becomes_fundable_and_closing_it_ends_its_commitments_at_the_closing_day(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var bus = await ReadyBusAsync(funding);
        var site = Guid.NewGuid();
        var funder = await funding.CreateFunderAsync("Landkreis Emsland");
        var other = await funding.CreateFunderAsync("Stadt Lingen (Ems)", "city");

        await bus.Publish(new SiteOpened(site, "it-achse", "Meppen", "Meppen", "emsland", null, "open", new DateOnly(2020, 1, 1), null, 1, DateTimeOffset.UtcNow));
        var running = Guid.Empty;
        await Eventually.SucceedsAsync(async () => running = await funding.CommittedAsync(funder, site, 5000, "2020-01-01"));
        var future = await funding.CommittedAsync(other, site, 5000, "2030-01-01");

        await bus.Publish(new SiteClosed(site, "it-achse", "Meppen", "Meppen", "emsland", null, "closed", new DateOnly(2020, 1, 1), new DateOnly(2025, 6, 30), 2, DateTimeOffset.UtcNow));

        await Eventually.SucceedsAsync(async () =>
            Assert.Equal("ended", (await funding.GetJsonAsync($"/api/funding/commitments/{running}")).GetProperty("status").GetString()));
        var ended = await funding.GetJsonAsync($"/api/funding/commitments/{running}");
        Assert.Equal("2025-06-30", ended.GetProperty("validTo").GetString());
        var withdrawn = await funding.GetJsonAsync($"/api/funding/commitments/{future}");
        Assert.Equal("ended", withdrawn.GetProperty("status").GetString());
        Assert.Equal("2029-12-31", withdrawn.GetProperty("validTo").GetString());
        Assert.Equal(5000, (await funding.GetJsonAsync($"/api/funding/sites/{site}/coverage?date=2025-06-30")).GetProperty("totalBasisPoints").GetInt32());
        Assert.Equal(0, (await funding.GetJsonAsync($"/api/funding/sites/{site}/coverage?date=2025-07-01")).GetProperty("totalBasisPoints").GetInt32());
        Assert.Equal(2, await funding.OutboxCountAsync("FundingCommitmentEnded"));
        var refused = await funding.CommitAsync(other, site, 1000, "2020-01-01", "2020-12-31");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);

        // A replay of the old SiteOpened (re-sync, redelivery) does not reopen the site.
        await bus.Publish(new SiteOpened(site, "it-achse", "Meppen", "Meppen", "emsland", null, "open", new DateOnly(2020, 1, 1), null, 1, DateTimeOffset.UtcNow));
        await Eventually.SucceedsAsync(async () => Assert.Equal(3, await funding.CountAsync("SELECT COUNT(*) FROM inbox_messages WHERE consumer = 'funding-sites'")));
        Assert.Equal(1, await funding.CountAsync("SELECT COUNT(*) FROM sites WHERE status = 'closed'"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task a_resync_replaying_the_versions_held_changes_nothing_and_claims_no_fee_twice(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var bus = await ReadyBusAsync(funding);
        await funding.GivenNetworkAsync("it-achse", "IT-Achse");
        (await funding.Admin.PutAsJsonAsync(Url("/api/funding/networks/it-achse/fees"), new { annualFeeCents = new { company = 36_500 } })).EnsureSuccessStatusCode();
        var today = BusinessCalendar.Today(TimeProvider.System);
        var organizationId = Guid.NewGuid();
        var activated = new MembershipActivated(Guid.NewGuid(), organizationId, "Leer Logistik GmbH", "company", "leer", "it-achse", "active", today, null, 2, DateTimeOffset.UtcNow);
        var renamed = new OrganizationUpdated(organizationId, "Leer Logistik AG", "company", "leer", 3, DateTimeOffset.UtcNow);
        await bus.Publish(activated);
        await bus.Publish(renamed);
        await Eventually.SucceedsAsync(async () => Assert.Equal(1, await funding.CountAsync("SELECT COUNT(*) FROM network_members WHERE organization_name = 'Leer Logistik AG'")));
        Assert.Equal(1, await funding.CountAsync("SELECT COUNT(*) FROM fee_claims"));

        // The re-sync sends the same versions again, as new messages (new ids, so the inbox does not drop them).
        await bus.Publish(renamed with { OccurredAt = DateTimeOffset.UtcNow });
        await bus.Publish(activated with { OccurredAt = DateTimeOffset.UtcNow });
        // Two memberships' and two organisations' events, all on the copy's one queue.
        await Eventually.SucceedsAsync(async () => Assert.Equal(4, await funding.CountAsync("SELECT COUNT(*) FROM inbox_messages WHERE consumer = 'funding-network-members'")));

        Assert.Equal(1, await funding.CountAsync("SELECT COUNT(*) FROM fee_claims"));
        Assert.Equal(1, await funding.CountAsync("SELECT COUNT(*) FROM network_members WHERE organization_name = 'Leer Logistik AG' AND status = 'active' AND version = 2"));
        Assert.Equal(3, await funding.CountAsync("SELECT version FROM member_organizations"));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>A network with a company fee, written as the fee endpoint would (no token: the service's clock is not today).</summary>
    private static async Task GivenCompanyFeeAsync(FundingService funding, string slug, long annualFeeCents)
    {
        await funding.GivenNetworkAsync(slug);
        await funding.Database.WriteAsync(tx => tx.ExecuteAsync(
            "INSERT INTO fee_schedules (network_slug, organization_kind, annual_fee_cents, updated_at) VALUES (@slug, 'company', @annualFeeCents, @now)",
            new { slug, annualFeeCents, now = tx.Now }));
    }

    private sealed class ClaimRow
    {
        public int Year { get; init; }
        public DateOnly PeriodFrom { get; init; }
        public DateOnly PeriodTo { get; init; }
        public long AmountCents { get; init; }
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task an_activation_dated_the_thirtieth_of_december_consumed_in_january_gets_its_december_claim(DatabaseEngine engine)
    {
        // 2 January 2026, 10:00 in Berlin: the approval of 30 December 2025 arrives only now.
        await using var funding = await servers.StartAsync(engine, new FixedClock(new DateTimeOffset(2026, 1, 2, 9, 0, 0, TimeSpan.Zero)));
        var bus = await ReadyBusAsync(funding);
        await GivenCompanyFeeAsync(funding, "it-achse", 36_500);
        var approvedOn = new DateOnly(2025, 12, 30);
        var membershipId = Guid.NewGuid();

        await bus.Publish(new MembershipActivated(membershipId, Guid.NewGuid(), "Emsland Software GmbH", "company", "emsland", "it-achse", "active", approvedOn, null, 2, new DateTimeOffset(2025, 12, 30, 15, 0, 0, TimeSpan.Zero)));

        await Eventually.SucceedsAsync(async () => Assert.Equal(1, await funding.CountAsync("SELECT COUNT(*) FROM network_members")));
        await using var connection = await funding.Database.OpenAsync();
        var claims = (await connection.QueryAsync<ClaimRow>(
            "SELECT year AS Year, period_from AS PeriodFrom, period_to AS PeriodTo, amount_cents AS AmountCents FROM fee_claims WHERE membership_id = @membershipId ORDER BY year",
            new { membershipId })).ToList();
        Assert.Equal([2025, 2026], claims.Select(c => c.Year));
        // December's claim: the two days from the approval to the year's end, pro rata (36 500 × 2 / 365).
        Assert.Equal(approvedOn, claims[0].PeriodFrom);
        Assert.Equal(new DateOnly(2025, 12, 31), claims[0].PeriodTo);
        Assert.Equal(200, claims[0].AmountCents);
        Assert.Equal(new DateOnly(2026, 1, 1), claims[1].PeriodFrom);
        Assert.Equal(36_500, claims[1].AmountCents);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task the_membership_keeps_the_status_its_event_carries_and_only_an_active_one_owes_a_fee(DatabaseEngine engine)
    {
        await using var funding = await servers.StartAsync(engine);
        var bus = await ReadyBusAsync(funding);
        await GivenCompanyFeeAsync(funding, "it-achse", 36_500);
        var today = BusinessCalendar.Today(TimeProvider.System);
        var organizationId = Guid.NewGuid();
        var announced = new MembershipActivated(Guid.NewGuid(), organizationId, "Leer Logistik GmbH", "company", "leer", "it-achse", "suspended", today, null, 2, DateTimeOffset.UtcNow);
        var ended = new MembershipEnded(Guid.NewGuid(), organizationId, "Leer Logistik GmbH", "company", "leer", "it-achse", "ended-by-merger", today.AddDays(-400), today, 3, DateTimeOffset.UtcNow);

        await bus.Publish(announced);
        await bus.Publish(ended);

        await Eventually.SucceedsAsync(async () => Assert.Equal(2, await funding.CountAsync("SELECT COUNT(*) FROM network_members")));
        Assert.Equal(1, await funding.CountAsync("SELECT COUNT(*) FROM network_members WHERE membership_id = @id AND status = 'suspended'", new { id = announced.MembershipId }));
        Assert.Equal(1, await funding.CountAsync("SELECT COUNT(*) FROM network_members WHERE membership_id = @id AND status = 'ended-by-merger'", new { id = ended.MembershipId }));
        Assert.Equal(0, await funding.CountAsync("SELECT COUNT(*) FROM fee_claims"));
    }
}
