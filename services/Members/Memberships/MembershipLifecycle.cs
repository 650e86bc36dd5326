namespace EmsAchse.Members.Memberships;

/// <summary>Membership statuses as stored and on the wire.</summary>
public static class MembershipStatus
{
    public const string Applied = "applied";
    public const string Active = "active";
    public const string Ended = "ended";
    public const string Rejected = "rejected";

    public static readonly IReadOnlyList<string> All = [Applied, Active, Ended, Rejected];

    /// <summary>An open membership blocks a second one of the same organisation in the same network.</summary>
    public static bool IsOpen(string status) => status is Applied or Active;

    public static string? Find(string? code) =>
        code is null ? null : All.FirstOrDefault(s => string.Equals(s, code.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>The outcome of a step of the lifecycle: the new status, or why the step is refused.</summary>
public sealed record LifecycleStep(string? NewStatus, string? Refusal)
{
    public bool Allowed => NewStatus is not null;
}

/// <summary>
/// A membership goes applied -> active -> ended, or applied -> rejected; nothing else. Ended and
/// rejected are final: the organisation applies again for a new membership.
/// </summary>
public static class MembershipLifecycle
{
    /// <summary>The longest reason a decision or an ending takes.</summary>
    public const int MaxReasonLength = 1000;

    public static LifecycleStep Approve(string status) =>
        status == MembershipStatus.Applied
            ? new(MembershipStatus.Active, null)
            : new(null, $"the application is {status}; only an applied one can be approved.");

    public static LifecycleStep Reject(string status) =>
        status == MembershipStatus.Applied
            ? new(MembershipStatus.Rejected, null)
            : new(null, $"the application is {status}; only an applied one can be rejected.");

    public static LifecycleStep End(string status) =>
        status == MembershipStatus.Active
            ? new(MembershipStatus.Ended, null)
            : new(null, $"the membership is {status}; only an active one can be ended.");

    /// <summary>The last day of a membership lies between its first day and today.</summary>
    public static string? RefuseEndDate(DateOnly? since, DateOnly until, DateOnly today)
    {
        if (since is { } start && until < start)
        {
            return $"until {until:yyyy-MM-dd} is before the membership began on {start:yyyy-MM-dd}.";
        }
        return until > today ? $"until {until:yyyy-MM-dd} is in the future; end the membership on or after its last day." : null;
    }

    /// <summary>A new application is refused while the organisation has an open membership in the network.</summary>
    public static string? RefuseApplication(IEnumerable<string> statusesInNetwork, Guid organizationId, string network) =>
        statusesInNetwork.Any(MembershipStatus.IsOpen)
            ? $"organisation {organizationId} already has an open membership (applied or active) in '{network}'."
            : null;
}
