using EmsAchse.Members.Access;

namespace EmsAchse.Members.Memberships;

/// <summary>
/// The one rule for who sees which memberships, in the memberships and the applications API alike:
/// active and ended memberships are the directory's business and visible to every role, without the
/// decision (when, by whom, why); applied and rejected ones, and every decision, only to admins and the
/// managers of that network.
/// </summary>
public sealed class MembershipVisibility(CallerRights caller)
{
    /// <summary>Statuses everyone may list.</summary>
    public static readonly IReadOnlyList<string> PublicStatuses = [MembershipStatus.Active, MembershipStatus.Ended];

    /// <summary>True when the caller sees every membership of every network (the SQL filter is then off).</summary>
    public bool SeesEverything => caller.IsAdmin;

    /// <summary>The networks whose applications, rejections and decisions the caller sees.</summary>
    public IReadOnlyList<string> DecisionNetworks { get; } = caller.ManagedNetworks.Order(StringComparer.Ordinal).ToList();

    public bool SeesDecisionsIn(string network) => caller.Manages(network);

    public bool CanSee(string network, string status) => PublicStatuses.Contains(status) || SeesDecisionsIn(network);

    /// <summary>The membership as this caller may see it: without the decision unless they see decisions in its network.</summary>
    public MembershipView Present(MembershipView membership) =>
        SeesDecisionsIn(membership.Network) ? membership : membership with { Decided = null, DecidedBy = null, Reason = null };
}
