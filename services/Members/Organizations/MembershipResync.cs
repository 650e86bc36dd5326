using EmsAchse.Contracts.Members;
using EmsAchse.Members.Memberships;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Members.Organizations;

/// <summary>
/// Answers a re-sync request by publishing every organisation with a membership (OrganizationUpdated, or
/// OrganizationErased once erased) and every membership (the event of its current status), each at its
/// current version, so a consumer that started late or restored its database converges. Consumers apply
/// an event only if it is newer than what they hold, so the replay has no second effect. With the organisations
/// because it announces them first; the memberships announce themselves.
/// </summary>
public sealed class MembershipResyncRequestedConsumer(Inbox inbox) : IdempotentConsumer<MembershipResyncRequested>(inbox)
{
    // Re-announces the current state: no change, so no change record.
    protected override bool RecordsChanges => false;

    private sealed class OrganizationRow
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public string District { get; init; } = "";
        public long Version { get; init; }
        public DateTimeOffset? ErasedAt { get; init; }
    }

    protected override async Task ApplyAsync(MembershipResyncRequested message, WriteTransaction tx)
    {
        // Other services copy an organisation's facts only with its memberships: the rest of the directory is not theirs.
        const string organizations = """
            SELECT o.id AS Id, o.name AS Name, o.kind AS Kind, o.district AS District, o.version AS Version, o.erased_at AS ErasedAt
            FROM organizations o
            WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = o.id)
            ORDER BY o.id
            """;
        foreach (var o in await tx.QueryAsync<OrganizationRow>(organizations))
        {
            // An erased organisation stays erased: its last word is the erasure, never an update at the same version.
            if (o.ErasedAt is not null)
            {
                await tx.PublishAsync(OrganizationAggregate.Id(o.Id), new OrganizationErased(o.Id, o.Version, tx.Now));
            }
            else
            {
                await tx.PublishAsync(OrganizationAggregate.Id(o.Id), new OrganizationUpdated(o.Id, o.Name, o.Kind, o.District, o.Version, tx.Now));
            }
        }

        await MembershipStore.RepublishAllAsync(tx);
    }
}
