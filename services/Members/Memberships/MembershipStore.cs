using EmsAchse.Contracts.Members;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Members.Memberships;

/// <summary>A membership as the API shows it (an application is a membership before the decision).</summary>
public sealed record MembershipView(
    Guid Id,
    Guid OrganizationId,
    string OrganizationName,
    string Network,
    string Status,
    DateTimeOffset Submitted,
    DateTimeOffset? Decided,
    string? DecidedBy,
    string? Reason,
    DateOnly? Since,
    DateOnly? Until,
    long Version);

/// <summary>The SQL of memberships, and the events that carry their full state.</summary>
internal static class MembershipStore
{
    internal sealed class MembershipRow
    {
        public Guid Id { get; init; }
        public Guid OrganizationId { get; init; }
        public string OrganizationName { get; init; } = "";
        public string OrganizationKind { get; init; } = "";
        public string District { get; init; } = "";
        public string Network { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset Submitted { get; init; }
        public DateTimeOffset? Decided { get; init; }
        public string? DecidedBy { get; init; }
        public string? DecisionReason { get; init; }
        public DateOnly? Since { get; init; }
        public DateOnly? Until { get; init; }
        public string? EndReason { get; init; }
        public long Version { get; init; }
        public DateTimeOffset? OrganizationErasedAt { get; init; }

        public MembershipView ToView() =>
            new(Id, OrganizationId, OrganizationName, Network, Status, Submitted, Decided, DecidedBy, Status == MembershipStatus.Ended ? EndReason : DecisionReason, Since, Until, Version);
    }

    internal const string Columns = """
        m.id AS Id, m.organization_id AS OrganizationId, o.name AS OrganizationName, o.kind AS OrganizationKind,
        o.district AS District, m.network_slug AS Network, m.status AS Status, m.submitted AS Submitted,
        m.decided AS Decided, m.decided_by AS DecidedBy, m.decision_reason AS DecisionReason, m.since AS Since,
        m.until AS Until, m.end_reason AS EndReason, m.version AS Version, o.erased_at AS OrganizationErasedAt
        """;

    /// <summary>Reads a membership for a change; on PostgreSQL the row is locked so competing decisions queue.</summary>
    public static Task<MembershipRow?> LockAsync(WriteTransaction tx, Guid id)
    {
        const string sql = $"SELECT {Columns} FROM memberships m JOIN organizations o ON o.id = m.organization_id WHERE m.id = @id";
        const string postgres = sql + " FOR UPDATE OF m";
        return tx.QuerySingleOrDefaultAsync<MembershipRow>(tx.Engine == DatabaseEngine.Postgres ? postgres : sql, new { id });
    }

    public static Task<MembershipRow?> ReadAsync(WriteTransaction tx, Guid id)
    {
        const string sql = $"SELECT {Columns} FROM memberships m JOIN organizations o ON o.id = m.organization_id WHERE m.id = @id";
        return tx.QuerySingleOrDefaultAsync<MembershipRow>(sql, new { id });
    }

    /// <summary>Inserts an application and publishes MembershipApplied; the caller has checked the rules.</summary>
    public static async Task<MembershipView> ApplyAsync(WriteTransaction tx, Guid membershipId, Guid organizationId, string organizationName, string network)
    {
        var submitted = tx.Now;
        await tx.ExecuteAsync(
            "INSERT INTO memberships (id, organization_id, network_slug, status, submitted, version) VALUES (@membershipId, @organizationId, @network, @status, @submitted, 1)",
            new { membershipId, organizationId, network, status = MembershipStatus.Applied, submitted });
        await tx.PublishAsync(MembershipAggregate.Id(membershipId), new MembershipApplied(membershipId, organizationId, organizationName, network, submitted, 1, tx.Now));
        return new MembershipView(membershipId, organizationId, organizationName, network, MembershipStatus.Applied, submitted, null, null, null, null, null, 1);
    }

    /// <summary>Activates an applied membership from <paramref name="since"/> and publishes MembershipActivated.</summary>
    public static async Task ActivateAsync(WriteTransaction tx, MembershipRow m, string? decidedBy, string? reason, DateOnly since)
    {
        var status = NewStatus(MembershipLifecycle.Approve(m.Status), m);
        var version = m.Version + 1;
        await tx.ExecuteAsync(
            "UPDATE memberships SET status = @status, decided = @now, decided_by = @decidedBy, decision_reason = @reason, since = @since, version = @version WHERE id = @id",
            new { id = m.Id, status, now = tx.Now, decidedBy, reason, since, version });
        await tx.PublishAsync(MembershipAggregate.Id(m.Id), new MembershipActivated(m.Id, m.OrganizationId, m.OrganizationName, m.OrganizationKind, m.District, m.Network, status, since, null, version, tx.Now));
    }

    public static async Task RejectAsync(WriteTransaction tx, MembershipRow m, string? decidedBy, string? reason)
    {
        var status = NewStatus(MembershipLifecycle.Reject(m.Status), m);
        var version = m.Version + 1;
        await tx.ExecuteAsync(
            "UPDATE memberships SET status = @status, decided = @now, decided_by = @decidedBy, decision_reason = @reason, version = @version WHERE id = @id",
            new { id = m.Id, status, now = tx.Now, decidedBy, reason, version });
        await tx.PublishAsync(MembershipAggregate.Id(m.Id), new MembershipRejected(m.Id, m.OrganizationId, m.OrganizationName, m.Network, status, reason, version, tx.Now));
    }

    public static async Task EndAsync(WriteTransaction tx, MembershipRow m, string? endedBy, string? reason, DateOnly until)
    {
        var status = NewStatus(MembershipLifecycle.End(m.Status), m);
        var version = m.Version + 1;
        await tx.ExecuteAsync(
            "UPDATE memberships SET status = @status, until = @until, ended_by = @endedBy, end_reason = @reason, version = @version WHERE id = @id",
            new { id = m.Id, status, until, endedBy, reason, version });
        await tx.PublishAsync(MembershipAggregate.Id(m.Id), new MembershipEnded(m.Id, m.OrganizationId, m.OrganizationName, m.OrganizationKind, m.District, m.Network, status, m.Since ?? until, until, version, tx.Now));
    }

    /// <summary>The status the lifecycle rule gives: the one source for the row and the event. The endpoint has checked the step is allowed.</summary>
    private static string NewStatus(LifecycleStep step, MembershipRow m) =>
        step.NewStatus ?? throw new InvalidOperationException($"Membership {m.Id}: {step.Refusal}");

    /// <summary>Publishes the membership's current state again, as the event its status was reached by and at its current version.</summary>
    public static Task RepublishAsync(WriteTransaction tx, MembershipRow m)
    {
        var aggregate = MembershipAggregate.Id(m.Id);
        // since is set on activation, until on ending; the fallbacks only keep a damaged row publishable.
        var since = m.Since ?? DateOnly.FromDateTime(m.Submitted.UtcDateTime);
        return m.Status switch
        {
            MembershipStatus.Applied => tx.PublishAsync(aggregate, new MembershipApplied(m.Id, m.OrganizationId, m.OrganizationName, m.Network, m.Submitted, m.Version, tx.Now)),
            MembershipStatus.Active => tx.PublishAsync(aggregate, new MembershipActivated(m.Id, m.OrganizationId, m.OrganizationName, m.OrganizationKind, m.District, m.Network, m.Status, since, m.Until, m.Version, tx.Now)),
            MembershipStatus.Ended => tx.PublishAsync(aggregate, new MembershipEnded(m.Id, m.OrganizationId, m.OrganizationName, m.OrganizationKind, m.District, m.Network, m.Status, m.Since ?? m.Until ?? since, m.Until ?? since, m.Version, tx.Now)),
            MembershipStatus.Rejected => tx.PublishAsync(aggregate, new MembershipRejected(m.Id, m.OrganizationId, m.OrganizationName, m.Network, m.Status, m.DecisionReason, m.Version, tx.Now)),
            _ => throw new InvalidOperationException($"Membership {m.Id} has the unknown status '{m.Status}'."),
        };
    }
}

/// <summary>Outbox aggregate ids, so the events of one membership keep their order.</summary>
public static class MembershipAggregate
{
    public static string Id(Guid membershipId) => $"membership/{membershipId}";
}
