namespace EmsAchse.Contracts.Members;

/// <summary>
/// A service asks the members service to publish its memberships and their organisations again (the event of each
/// one's current status, at its current version), e.g. after starting late or restoring its database.
/// </summary>
/// <param name="After">
/// The members service's change sequence the asker holds everything up to (the watermark of its last
/// <see cref="MembershipResyncCompleted"/>): only newer changes are sent. Null asks for everything, a full rebuild.
/// </param>
/// <param name="Until">
/// Set by the members service on the request it sends itself for the next page: the end of the range it fixed at the
/// first page. Askers leave it null.
/// </param>
public sealed record MembershipResyncRequested(string RequestedBy, DateTimeOffset RequestedAt, long? After = null, long? Until = null);
