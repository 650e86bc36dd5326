namespace EmsAchse.Contracts.Members;

/// <summary>
/// A service asks the members service to publish every membership and organisation again (the event of
/// each one's current status, at its current version), e.g. after starting late or restoring its database.
/// </summary>
public sealed record MembershipResyncRequested(string RequestedBy, DateTimeOffset RequestedAt);
