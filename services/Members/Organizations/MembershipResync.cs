using EmsAchse.Contracts.Members;
using EmsAchse.Members.Memberships;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Members.Organizations;

/// <summary>
/// Answers a re-sync request by publishing, in pages, every organisation with a membership (OrganizationUpdated, or
/// OrganizationErased once erased) and every membership (the event of its current status) whose last change is newer
/// than the asker's watermark (all of them for a full rebuild), each at its current version; then
/// MembershipResyncCompleted with the new watermark. Consumers apply an event only if it is newer than what they hold,
/// so the replay has no second effect; an up-to-date asker costs two index probes and no events.
/// </summary>
/// <remarks>
/// The range's end is fixed at the first page (the newest change then), and each page sends the next request to this
/// service itself, so no transaction holds more than a page and a long re-sync survives a restart half-way. A change
/// made while the pages go out moves past the range's end and travels as its own event.
/// </remarks>
public sealed partial class MembershipResyncRequestedConsumer(Inbox inbox, IConfiguration configuration, ILogger<MembershipResyncRequestedConsumer> log)
    : IdempotentConsumer<MembershipResyncRequested>(inbox)
{
    /// <summary>Organisations and memberships per page (and transaction) unless <c>Members:ResyncPageSize</c> says otherwise.</summary>
    public const int DefaultPageSize = 2000;

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
        public long ChangeSeq { get; init; }
    }

    protected override async Task ApplyAsync(MembershipResyncRequested message, WriteTransaction tx)
    {
        var pageSize = Math.Max(1, configuration.GetValue("Members:ResyncPageSize", DefaultPageSize));
        var after = message.After ?? 0;
        var until = message.Until ?? await tx.ExecuteScalarAsync<long>(
            "SELECT COALESCE(MAX(last), 0) FROM (SELECT MAX(change_seq) AS last FROM organizations UNION ALL SELECT MAX(change_seq) FROM memberships) newest");
        if (after > until)
        {
            // The asker holds a watermark this database never reached: it was restored from a backup and counts from
            // there again. Only everything is safe.
            LogAheadOfOwner(log, message.RequestedBy, after, until);
            after = 0;
        }

        // Other services copy an organisation's facts only with its memberships: the rest of the directory is not theirs.
        const string organizations = """
            SELECT o.id AS Id, o.name AS Name, o.kind AS Kind, o.district AS District, o.version AS Version, o.erased_at AS ErasedAt, o.change_seq AS ChangeSeq
            FROM organizations o
            WHERE o.change_seq > @after AND o.change_seq <= @until AND EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = o.id)
            ORDER BY o.change_seq LIMIT @pageSize
            """;
        var changedOrganizations = (await tx.QueryAsync<OrganizationRow>(organizations, new { after, until, pageSize })).ToList();
        var changedMemberships = await MembershipStore.ChangedAsync(tx, after, until, pageSize);

        // The page is the oldest pageSize changes of both; when both lists fit, the range is done.
        var last = changedOrganizations.Count + changedMemberships.Count <= pageSize
            ? until
            : changedOrganizations.Select(o => o.ChangeSeq).Concat(changedMemberships.Select(m => m.ChangeSeq)).Order().ElementAt(pageSize - 1);

        // The organisations first: the memberships' events carry their facts, but not their versions.
        var sent = 0;
        foreach (var o in changedOrganizations.Where(o => o.ChangeSeq <= last))
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
            sent++;
        }
        foreach (var m in changedMemberships.Where(m => m.ChangeSeq <= last))
        {
            await MembershipStore.RepublishAsync(tx, m);
            sent++;
        }

        var conversation = ResyncRequest.Conversation(message.RequestedBy);
        if (last < until)
        {
            await tx.PublishAsync(conversation, message with { After = last, Until = until });
            LogPage(log, message.RequestedBy, after, last, until, sent);
        }
        else
        {
            await tx.PublishAsync(conversation, new MembershipResyncCompleted(message.RequestedBy, until, tx.Now));
            LogCompleted(log, message.RequestedBy, sent, after, until);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-sync for {RequestedBy}: its watermark {After} is ahead of this database's newest change {Until} (restored?); sending everything")]
    private static partial void LogAheadOfOwner(ILogger logger, string requestedBy, long after, long until);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-sync for {RequestedBy}: sent {Sent} changes after {After} up to {Last} of {Until}; next page requested")]
    private static partial void LogPage(ILogger logger, string requestedBy, long after, long last, long until, int sent);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-sync for {RequestedBy} completed: the last page sent {Sent} changes after {After}; watermark {Until}")]
    private static partial void LogCompleted(ILogger logger, string requestedBy, int sent, long after, long until);
}
