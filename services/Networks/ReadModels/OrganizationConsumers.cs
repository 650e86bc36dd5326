using EmsAchse.Contracts.Members;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Networks.ReadModels;

/// <summary>
/// The organisation facts of the member list, one row per organisation: the newest version wins and is
/// copied into each of the organisation's memberships. Membership events bring facts too, but ordered
/// by the membership only, so they fill in and never override a version announced by OrganizationUpdated.
/// </summary>
internal static class MemberOrganizations
{
    /// <summary>The version given to the facts a membership event carries: older than any announced change.</summary>
    public const long FromMembership = 0;

    internal sealed class Facts
    {
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public string District { get; init; } = "";
    }

    /// <summary>
    /// Keeps the given facts unless newer ones are held, and writes the held ones into every membership of
    /// the organisation. On PostgreSQL the upsert locks the organisation's row even when it changes
    /// nothing, so the facts and the member rows of one organisation change one transaction at a time.
    /// </summary>
    /// <returns>The facts held now.</returns>
    public static async Task<Facts> ApplyAsync(WriteTransaction tx, Guid organizationId, string name, string kind, string district, long version)
    {
        // Equal versions carry equal facts, except 0: there the membership event that arrives last wins.
        const string upsert = """
            INSERT INTO member_organizations (organization_id, organization_name, organization_kind, district, version)
            VALUES (@organizationId, @name, @kind, @district, @version)
            ON CONFLICT (organization_id) DO UPDATE SET
                organization_name = excluded.organization_name, organization_kind = excluded.organization_kind,
                district = excluded.district, version = excluded.version
            WHERE member_organizations.version <= excluded.version
            """;
        await tx.ExecuteAsync(upsert, new { organizationId, name, kind, district, version });
        const string read = """
            SELECT organization_name AS Name, organization_kind AS Kind, district AS District
            FROM member_organizations WHERE organization_id = @organizationId
            """;
        var held = await tx.QuerySingleOrDefaultAsync<Facts>(read, new { organizationId })
            ?? throw new InvalidOperationException($"Organisation {organizationId} is missing right after its upsert.");
        const string copy = """
            UPDATE network_members SET organization_name = @Name, organization_kind = @Kind, district = @District
            WHERE organization_id = @organizationId
              AND (organization_name <> @Name OR organization_kind <> @Kind OR district <> @District)
            """;
        await tx.ExecuteAsync(copy, new { organizationId, held.Name, held.Kind, held.District });
        return held;
    }
}

/// <summary>A renamed (or re-classified, or moved) organisation is shown so in every network it belongs to.</summary>
public sealed class OrganizationUpdatedConsumer(Inbox inbox) : IdempotentConsumer<OrganizationUpdated>(inbox)
{
    protected override Task ApplyAsync(OrganizationUpdated message, WriteTransaction tx) =>
        MemberOrganizations.ApplyAsync(tx, message.OrganizationId, message.Name, message.Kind, message.District, message.Version);
}
