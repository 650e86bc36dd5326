using EmsAchse.Contracts.Members;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.ReadModels;
using MassTransit;

namespace EmsAchse.ReadModels;

/// <summary>
/// What a service does after the copy changed, in the same transaction (funding: fee claims).
/// </summary>
public interface INetworkMembersFollower
{
    /// <summary>After a MembershipActivated newer than the copy was applied.</summary>
    Task MembershipActivatedAsync(WriteTransaction tx, MembershipActivated membership);

    /// <summary>After an OrganizationUpdated was merged into the organisation's facts and memberships.</summary>
    Task OrganizationUpdatedAsync(WriteTransaction tx, OrganizationUpdated organization);
}

/// <summary>
/// The copy of the members service's memberships with their organisation's facts, kept by networks (the member list
/// per network) and funding (fee claims): table <c>network_members</c> (membership_id, network_slug,
/// organization_id, organization_name, organization_kind, district, status, since, until, version) and table
/// <c>member_organizations</c> (organization_id, organization_name, organization_kind, district, version).
/// The newest version of a membership wins; the organisation's facts are the newest <c>member_organizations</c>
/// holds. Membership events bring facts too, but ordered by the membership only, so they fill in and never override
/// a version announced by OrganizationUpdated.
/// </summary>
/// <remarks>
/// OrganizationErased is deliberately not consumed: the copy holds an organisation's name, kind and district, business
/// facts published in the member directory, and no contact person's data. Should members start erasing organisation
/// names (a sole trader's), blank the name here for the OrganizationId.
/// </remarks>
public sealed class NetworkMembersConsumer(Inbox inbox, IEnumerable<INetworkMembersFollower> followers, ServiceIdentity service) : InboxConsumer(inbox),
    IConsumer<MembershipActivated>, IConsumer<MembershipEnded>, IConsumer<OrganizationUpdated>, IConsumer<MembershipResyncCompleted>
{
    /// <summary>The owner's name for this copy's watermark (<see cref="ResyncWatermarks"/>).</summary>
    public const string ResyncOwner = "members";

    /// <summary>The version given to the facts a membership event carries: older than any announced change.</summary>
    private const long FromMembership = 0;

    private static readonly VersionedCopy Memberships = new(
        "network_members", "membership_id",
        "network_slug", "organization_id", "organization_name", "organization_kind", "district", "status", "since", "until");

    private static readonly VersionedCopy Organizations = new(
        "member_organizations", "organization_id", "organization_name", "organization_kind", "district");

    private sealed class Facts
    {
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public string District { get; init; } = "";
    }

    public Task Consume(ConsumeContext<MembershipActivated> context) =>
        ApplyOnceAsync(context, async (m, tx) =>
        {
            if (await CopyMembershipAsync(tx, m.MembershipId, m.OrganizationId, m.OrganizationName, m.OrganizationKind, m.District, m.Network, m.Status, m.Since, m.Until, m.Version))
            {
                foreach (var follower in followers)
                {
                    await follower.MembershipActivatedAsync(tx, m);
                }
            }
        });

    public Task Consume(ConsumeContext<MembershipEnded> context) =>
        ApplyOnceAsync(context, (m, tx) =>
            CopyMembershipAsync(tx, m.MembershipId, m.OrganizationId, m.OrganizationName, m.OrganizationKind, m.District, m.Network, m.Status, m.Since, m.Until, m.Version));

    /// <summary>
    /// The members service sent every change this service's re-sync asked for; they came before this on the same queue, so
    /// the copy is complete up to the watermark. Another service's completion says nothing about this copy.
    /// </summary>
    public Task Consume(ConsumeContext<MembershipResyncCompleted> context) =>
        ApplyOnceAsync(context, (m, tx) =>
            m.RequestedBy == service.Name ? ResyncWatermarks.SaveAsync(tx, ResyncOwner, m.Watermark, m.CompletedAt) : Task.CompletedTask);

    /// <summary>A renamed (or re-classified, or moved) organisation is shown so in every membership it has.</summary>
    public Task Consume(ConsumeContext<OrganizationUpdated> context) =>
        ApplyOnceAsync(context, async (m, tx) =>
        {
            await MergeOrganizationAsync(tx, m.OrganizationId, m.Name, m.Kind, m.District, m.Version);
            foreach (var follower in followers)
            {
                await follower.OrganizationUpdatedAsync(tx, m);
            }
        });

    /// <summary>The membership as its event carries it, without the followers.</summary>
    /// <returns>true if the event was newer than the copy and was applied.</returns>
    public static async Task<bool> CopyMembershipAsync(WriteTransaction tx, Guid membershipId, Guid organizationId, string organizationName, string kind, string district, string network, string status, DateOnly since, DateOnly? until, long version)
    {
        // Read without a lock: the organisation's row is locked first, in the order OrganizationUpdated takes.
        if (!VersionedCopy.Supersedes(version, await Memberships.HeldVersionAsync(tx, new { MembershipId = membershipId })))
        {
            return false;
        }
        // The event's organisation facts may be older than an OrganizationUpdated applied already.
        var organization = await MergeOrganizationAsync(tx, organizationId, organizationName, kind, district, FromMembership);
        // The upsert's own version guard covers deliveries of one membership racing on PostgreSQL.
        return await Memberships.UpsertAsync(tx, new
        {
            MembershipId = membershipId,
            NetworkSlug = network.Trim().ToLowerInvariant(),
            OrganizationId = organizationId,
            OrganizationName = organization.Name,
            OrganizationKind = organization.Kind,
            organization.District,
            Status = status,
            Since = since,
            Until = until,
            Version = version,
        });
    }

    /// <summary>
    /// Keeps the given facts unless newer ones are held, and writes the held ones into every membership of the
    /// organisation. On PostgreSQL the upsert locks the organisation's row even when it changes nothing, so the facts
    /// and the memberships of one organisation change one transaction at a time.
    /// </summary>
    private static async Task<Facts> MergeOrganizationAsync(WriteTransaction tx, Guid organizationId, string name, string kind, string district, long version)
    {
        // Equal versions carry equal facts, except 0: there the membership event that arrives last wins.
        await Organizations.UpsertUnlessOlderAsync(tx, new
        {
            OrganizationId = organizationId,
            OrganizationName = name,
            OrganizationKind = kind.Trim().ToLowerInvariant(),
            District = district,
            Version = version,
        });
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
