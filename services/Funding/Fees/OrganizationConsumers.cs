using EmsAchse.Contracts.Members;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;

namespace EmsAchse.Funding.Fees;

/// <summary>
/// The organisation facts of the membership copy, one row per organisation: the newest version wins and
/// is copied into each of the organisation's memberships. Membership events bring facts too, but ordered
/// by the membership only, so they fill in and never override a version announced by OrganizationUpdated.
/// Claims already issued keep the name and kind they were issued for.
/// </summary>
internal static class OrganizationCopy
{
    /// <summary>The version given to the facts a membership event carries: older than any announced change.</summary>
    public const long FromMembership = 0;

    internal sealed class Facts
    {
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
    }

    /// <summary>
    /// Keeps the given facts unless newer ones are held, and writes the held ones into every membership of
    /// the organisation. On PostgreSQL the upsert locks the organisation's row even when it changes
    /// nothing, so the facts and the memberships of one organisation change one transaction at a time.
    /// </summary>
    /// <returns>The facts held now.</returns>
    public static async Task<Facts> ApplyAsync(WriteTransaction tx, Guid organizationId, string name, string kind, long version)
    {
        // Equal versions carry equal facts, except 0: there the membership event that arrives last wins.
        const string upsert = """
            INSERT INTO member_organizations (organization_id, organization_name, organization_kind, version)
            VALUES (@organizationId, @name, @kind, @version)
            ON CONFLICT (organization_id) DO UPDATE SET
                organization_name = excluded.organization_name, organization_kind = excluded.organization_kind,
                version = excluded.version
            WHERE member_organizations.version <= excluded.version
            """;
        await tx.ExecuteAsync(upsert, new { organizationId, name, kind = kind.Trim().ToLowerInvariant(), version });
        const string read = "SELECT organization_name AS Name, organization_kind AS Kind FROM member_organizations WHERE organization_id = @organizationId";
        var held = await tx.QuerySingleOrDefaultAsync<Facts>(read, new { organizationId })
            ?? throw new InvalidOperationException($"Organisation {organizationId} is missing right after its upsert.");
        const string copy = """
            UPDATE memberships SET organization_name = @Name, organization_kind = @Kind
            WHERE organization_id = @organizationId AND (organization_name <> @Name OR organization_kind <> @Kind)
            """;
        await tx.ExecuteAsync(copy, new { organizationId, held.Name, held.Kind });
        return held;
    }
}

/// <summary>A renamed or re-classified organisation: its memberships' next claims carry the new name, and follow the new kind's fee.</summary>
public sealed class OrganizationUpdatedConsumer(Inbox inbox, TimeProvider clock) : IdempotentConsumer<OrganizationUpdated>(inbox)
{
    protected override async Task ApplyAsync(OrganizationUpdated m, WriteTransaction tx)
    {
        await OrganizationCopy.ApplyAsync(tx, m.OrganizationId, m.Name, m.Kind, m.Version);
        // A kind that pays a fee makes this year's claim due now, as a changed fee schedule does.
        var year = BusinessCalendar.Today(clock).Year;
        var active = await tx.QueryAsync<Guid>("SELECT id FROM memberships WHERE organization_id = @OrganizationId AND status = 'active'", new { m.OrganizationId });
        foreach (var membershipId in active)
        {
            await FeeClaims.IssueMissingAsync(tx, year, membershipId: membershipId);
        }
    }
}
