using EmsAchse.Contracts.Members;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;

namespace EmsAchse.Funding.Fees;

/// <summary>The local copy of memberships (newest version wins), which the fee claims follow.</summary>
internal static class MembershipCopy
{
    /// <returns>true if the message was newer than the copy and was applied.</returns>
    public static async Task<bool> UpsertAsync(WriteTransaction tx, Guid id, Guid organizationId, string organizationName, string organizationKind, string network, string status, DateOnly? since, DateOnly? until, long version)
    {
        // Read without a lock: the organisation's row is locked first, in the order OrganizationUpdated takes.
        if (await tx.QuerySingleOrDefaultAsync<long?>("SELECT version FROM memberships WHERE id = @id", new { id }) is { } held && held >= version)
        {
            return false;
        }
        // The event's organisation facts may be older than an OrganizationUpdated applied already.
        var organization = await OrganizationCopy.ApplyAsync(tx, organizationId, organizationName, organizationKind, OrganizationCopy.FromMembership);
        const string sql = """
            INSERT INTO memberships (id, organization_id, organization_name, organization_kind, network_slug, status, since, until, version)
            VALUES (@id, @organizationId, @organizationName, @organizationKind, @network, @status, @since, @until, @version)
            ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, organization_name = excluded.organization_name,
                organization_kind = excluded.organization_kind, network_slug = excluded.network_slug, status = excluded.status,
                since = excluded.since, until = excluded.until, version = excluded.version
            WHERE memberships.version < excluded.version
            """;
        var slug = network.Trim().ToLowerInvariant();
        return await tx.ExecuteAsync(sql, new { id, organizationId, organizationName = organization.Name, organizationKind = organization.Kind, network = slug, status, since, until, version }) > 0;
    }
}

/// <summary>
/// An activated membership owes the fee of the year it became active (its Since, the business date members
/// set), pro rata from its start, and of every year after it up to today: an approval on 30 December
/// consumed on 2 January still gets its December claim. The status is the one the event carries.
/// </summary>
public sealed class MembershipActivatedConsumer(Inbox inbox, TimeProvider clock) : IdempotentConsumer<MembershipActivated>(inbox)
{
    protected override async Task ApplyAsync(MembershipActivated m, WriteTransaction tx)
    {
        if (await MembershipCopy.UpsertAsync(tx, m.MembershipId, m.OrganizationId, m.OrganizationName, m.OrganizationKind, m.Network, m.Status, m.Since, m.Until, m.Version))
        {
            var issued = 0;
            foreach (var year in FeeClaims.YearsOwed(m.Since, m.Until, BusinessCalendar.Today(clock)))
            {
                issued += await FeeClaims.IssueMissingAsync(tx, year, membershipId: m.MembershipId);
            }
            if (issued > 0)
            {
                await tx.RecordChangeAsync("fee-claim.issued", "membership", m.MembershipId.ToString(), m.Network);
            }
        }
    }
}

/// <summary>An ended membership gets no further claims; the claims already issued stay.</summary>
public sealed class MembershipEndedConsumer(Inbox inbox) : IdempotentConsumer<MembershipEnded>(inbox)
{
    protected override async Task ApplyAsync(MembershipEnded m, WriteTransaction tx) =>
        await MembershipCopy.UpsertAsync(tx, m.MembershipId, m.OrganizationId, m.OrganizationName, m.OrganizationKind, m.Network, m.Status, m.Since, m.Until, m.Version);
}

/// <summary>Issues each year's claims for memberships that carry on into it (checked at start and hourly).</summary>
internal sealed class AnnualFeeClaims(ServiceDatabase db, TimeProvider clock, ILogger<AnnualFeeClaims> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                var year = BusinessCalendar.Today(clock).Year;
                var issued = await db.WriteAsync(tx => FeeClaims.IssueMissingAsync(tx, year), stoppingToken);
                if (issued > 0)
                {
                    logger.LogInformation("Issued {Claims} membership fee claims for {Year}", issued, year);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Issuing the year's membership fee claims failed; retrying within the hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
