using EmsAchse.Members.Access;
using EmsAchse.Members.Memberships;

namespace EmsAchse.Members.Organizations;

/// <summary>
/// Who may see and change an organisation, from its memberships alone (so a rejection or an end takes
/// access away by itself):
/// listed (the public directory shows it) while it has an active membership;
/// responsible (all contacts, rename, new contacts, apply in its name) are admins and the managers of a
/// network in which it is an active member;
/// a manager of a network it merely applied to (still pending) sees its facts and the contact that
/// application submitted, nothing more.
/// </summary>
public sealed record OrganizationAccess(bool Listed, bool Responsible, IReadOnlyList<string> PendingNetworks)
{
    /// <summary>Whether the caller may know the organisation at all (otherwise it is a 404 to them).</summary>
    public bool Visible => Listed || Responsible || PendingNetworks.Count > 0;

    public static OrganizationAccess Of(CallerRights caller, IEnumerable<MembershipStanding> memberships)
    {
        var all = memberships.ToList();
        var active = all.Where(m => m.Status == MembershipStatus.Active).ToList();
        return new OrganizationAccess(
            Listed: active.Count > 0,
            Responsible: caller.IsAdmin || active.Any(m => caller.ManagedNetworks.Contains(m.Network)),
            PendingNetworks: caller.IsAdmin
                ? []
                : all.Where(m => m.Status == MembershipStatus.Applied && caller.ManagedNetworks.Contains(m.Network)).Select(m => m.Network).Distinct().Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// The public applies with a new organisation only. An existing organisation applies to another network
    /// through someone already responsible for it, so nobody gains an organisation by applying in its name.
    /// </summary>
    public string? RefuseApplicationOnBehalf(Guid organizationId) =>
        Responsible
            ? null
            : $"organisation {organizationId} applies through an admin or a manager of a network it is an active member of; others apply with a new organisation.";
}
