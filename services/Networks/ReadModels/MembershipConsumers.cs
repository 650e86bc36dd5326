using EmsAchse.Contracts.Members;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Networks.ReadModels;

/// <summary>
/// Keeps the member list per network from the members service's events. The inbox drops a redelivered
/// message; the newest version of a membership wins, so reordered or replayed events leave the same state.
/// The organisation's name, kind and district are the newest <see cref="MemberOrganizations"/> holds.
/// </summary>
internal static class NetworkMembers
{
    public static async Task ApplyAsync(WriteTransaction tx, Guid membershipId, Guid organizationId, string organizationName, string kind, string district, string network, string status, DateOnly since, DateOnly? until, long version)
    {
        // Read without a lock: the organisation's row is locked first, in the order OrganizationUpdated takes.
        var held = await tx.QuerySingleOrDefaultAsync<long?>(
            "SELECT version FROM network_members WHERE membership_id = @membershipId",
            new { membershipId });
        if (!AggregateVersion.Supersedes(version, held))
        {
            return;
        }
        // The event's organisation facts may be older than an OrganizationUpdated applied already.
        var organization = await MemberOrganizations.ApplyAsync(tx, organizationId, organizationName, kind, district, MemberOrganizations.FromMembership);
        // The WHERE guard repeats the version rule for deliveries of one membership racing on PostgreSQL.
        const string sql = """
            INSERT INTO network_members (membership_id, network_slug, organization_id, organization_name, organization_kind, district, status, since, until, version)
            VALUES (@membershipId, @network, @organizationId, @organizationName, @kind, @district, @status, @since, @until, @version)
            ON CONFLICT (membership_id) DO UPDATE SET
                network_slug = excluded.network_slug, organization_id = excluded.organization_id,
                organization_name = excluded.organization_name, organization_kind = excluded.organization_kind,
                district = excluded.district, status = excluded.status, since = excluded.since,
                until = excluded.until, version = excluded.version
            WHERE network_members.version < excluded.version
            """;
        await tx.ExecuteAsync(sql, new { membershipId, network, organizationId, organizationName = organization.Name, kind = organization.Kind, district = organization.District, status, since, until, version });
    }
}

public sealed class MembershipActivatedConsumer(Inbox inbox) : IdempotentConsumer<MembershipActivated>(inbox)
{
    protected override Task ApplyAsync(MembershipActivated message, WriteTransaction tx) =>
        NetworkMembers.ApplyAsync(tx, message.MembershipId, message.OrganizationId, message.OrganizationName, message.OrganizationKind, message.District, message.Network, message.Status, message.Since, message.Until, message.Version);
}

public sealed class MembershipEndedConsumer(Inbox inbox) : IdempotentConsumer<MembershipEnded>(inbox)
{
    protected override Task ApplyAsync(MembershipEnded message, WriteTransaction tx) =>
        NetworkMembers.ApplyAsync(tx, message.MembershipId, message.OrganizationId, message.OrganizationName, message.OrganizationKind, message.District, message.Network, message.Status, message.Since, message.Until, message.Version);
}

// OrganizationErased is deliberately not consumed: this read model holds only an organisation's
// name, kind and district, which are business facts published in the member directory, and no
// contact person's data. Should members start erasing organisation names (e.g. a sole trader's),
// add a consumer that blanks the name through MemberOrganizations for the OrganizationId.
