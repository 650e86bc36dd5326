using System.Data.Common;
using Dapper;
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

/// <summary>One membership of an organisation, as far as access to the organisation depends on it.</summary>
public sealed record MembershipStanding(string Network, string Status);

/// <summary>A membership as the GDPR export shows it: every stored fact.</summary>
public sealed record ExportedMembership(
    Guid Id, string Network, string Status, DateTimeOffset Submitted, DateTimeOffset? Decided, string? DecidedBy, string? DecisionReason,
    DateOnly? Since, DateOnly? Until, string? EndedBy, string? EndReason, long Version);

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

        // Read by the export only.
        public string? EndedBy { get; init; }

        // Read by the re-sync only: where the row's last published change stands in the service's change sequence.
        public long ChangeSeq { get; init; }

        public MembershipView ToView() =>
            new(Id, OrganizationId, OrganizationName, Network, Status, Submitted, Decided, DecidedBy, Status == MembershipStatus.Ended ? EndReason : DecisionReason, Since, Until, Version);
    }

    internal const string Columns = """
        m.id AS Id, m.organization_id AS OrganizationId, o.name AS OrganizationName, o.kind AS OrganizationKind,
        o.district AS District, m.network_slug AS Network, m.status AS Status, m.submitted AS Submitted,
        m.decided AS Decided, m.decided_by AS DecidedBy, m.decision_reason AS DecisionReason, m.since AS Since,
        m.until AS Until, m.end_reason AS EndReason, m.version AS Version, o.erased_at AS OrganizationErasedAt
        """;

    /// <summary>An organisation's active networks, for a batch of organisations (ids as @ids), in the organisation's views.</summary>
    internal const string ActiveNetworksSqlite = "SELECT organization_id AS OrganizationId, network_slug AS Code FROM memberships WHERE organization_id IN @ids AND status = 'active' ORDER BY network_slug";

    internal const string ActiveNetworksPostgres = "SELECT organization_id AS OrganizationId, network_slug AS Code FROM memberships WHERE organization_id = ANY(@ids) AND status = 'active' ORDER BY network_slug";

    /// <summary>The free-text properties of membership events that can name people, removed from the outbox by an erasure.</summary>
    private static readonly IReadOnlyCollection<string> PersonalEventProperties = ["reason"];

    /// <summary>The organisation's memberships by network and status: what access to it follows from.</summary>
    public static async Task<IReadOnlyList<MembershipStanding>> StandingsAsync(DbConnection connection, Guid organizationId, CancellationToken ct, DbTransaction? transaction = null)
    {
        const string sql = "SELECT network_slug AS Network, status AS Status FROM memberships WHERE organization_id = @organizationId";
        return (await connection.QueryAsync<MembershipStanding>(new CommandDefinition(sql, new { organizationId }, transaction, cancellationToken: ct))).ToList();
    }

    /// <summary>The statuses of the organisation's memberships in one network (a new application checks them).</summary>
    public static Task<IEnumerable<string>> StatusesAsync(WriteTransaction tx, Guid organizationId, string network) =>
        tx.QueryAsync<string>("SELECT status FROM memberships WHERE organization_id = @organizationId AND network_slug = @network", new { organizationId, network });

    /// <summary>Every membership of the organisation with every stored fact, oldest first.</summary>
    public static async Task<IReadOnlyList<ExportedMembership>> ExportAsync(DbConnection connection, Guid organizationId, CancellationToken ct)
    {
        const string sql = """
            SELECT id AS Id, network_slug AS Network, status AS Status, submitted AS Submitted, decided AS Decided,
                   decided_by AS DecidedBy, decision_reason AS DecisionReason, since AS Since, until AS Until,
                   ended_by AS EndedBy, end_reason AS EndReason, version AS Version
            FROM memberships WHERE organization_id = @organizationId ORDER BY submitted, id
            """;
        var rows = await connection.QueryAsync<MembershipRow>(new CommandDefinition(sql, new { organizationId }, cancellationToken: ct));
        return rows.Select(m => new ExportedMembership(m.Id, m.Network, m.Status, m.Submitted, m.Decided, m.DecidedBy, m.DecisionReason, m.Since, m.Until, m.EndedBy, m.EndReason, m.Version)).ToList();
    }

    /// <summary>An erasure of the organisation: the free-text reasons of its memberships go, in the rows and in their events, sent or still in the outbox.</summary>
    public static async Task EraseReasonsAsync(WriteTransaction tx, Guid organizationId)
    {
        await tx.ExecuteAsync("UPDATE memberships SET decision_reason = NULL, end_reason = NULL WHERE organization_id = @organizationId", new { organizationId });
        var memberships = (await tx.QueryAsync<Guid>("SELECT id FROM memberships WHERE organization_id = @organizationId", new { organizationId })).Select(MembershipAggregate.Id).ToList();
        await OutboxRedaction.RedactAsync(tx, memberships, PersonalEventProperties);
    }

    /// <summary>The memberships whose last change is in (after, until] of the change sequence, oldest change first.</summary>
    public static async Task<IReadOnlyList<MembershipRow>> ChangedAsync(WriteTransaction tx, long after, long until, int limit)
    {
        const string sql = $"""
            SELECT {Columns}, m.change_seq AS ChangeSeq FROM memberships m JOIN organizations o ON o.id = m.organization_id
            WHERE m.change_seq > @after AND m.change_seq <= @until ORDER BY m.change_seq LIMIT @limit
            """;
        return [.. await tx.QueryAsync<MembershipRow>(sql, new { after, until, limit })];
    }

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
