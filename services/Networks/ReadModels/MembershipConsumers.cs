using EmsAchse.Contracts.Members;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Networks.ReadModels;

/// <summary>
/// Keeps the member list per network from the members service's events. The newest version of a
/// membership wins, so redelivered, reordered or replayed events leave the same state.
/// </summary>
internal static class NetworkMembers
{
    public static Task UpsertAsync(WriteTransaction tx, Guid membershipId, Guid organizationId, string organizationName, string kind, string district, string network, string status, DateOnly since, DateOnly? until, long version)
    {
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
        return tx.ExecuteAsync(sql, new { membershipId, network, organizationId, organizationName, kind, district, status, since, until, version });
    }
}

public sealed class MembershipActivatedConsumer(Inbox inbox) : IdempotentConsumer<MembershipActivated>(inbox)
{
    protected override Task ApplyAsync(MembershipActivated message, WriteTransaction tx) =>
        NetworkMembers.UpsertAsync(tx, message.MembershipId, message.OrganizationId, message.OrganizationName, message.OrganizationKind, message.District, message.Network, "active", message.Since, message.Until, message.Version);
}

public sealed class MembershipEndedConsumer(Inbox inbox) : IdempotentConsumer<MembershipEnded>(inbox)
{
    protected override Task ApplyAsync(MembershipEnded message, WriteTransaction tx) =>
        NetworkMembers.UpsertAsync(tx, message.MembershipId, message.OrganizationId, message.OrganizationName, message.OrganizationKind, message.District, message.Network, "ended", message.Since, message.Until, message.Version);
}
