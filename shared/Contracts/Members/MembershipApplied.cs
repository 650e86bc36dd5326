namespace EmsAchse.Contracts.Members;

/// <summary>An organisation applied to join a network; the network's manager decides.</summary>
public sealed record MembershipApplied(
    Guid MembershipId,
    Guid OrganizationId,
    string OrganizationName,
    string Network,
    DateTimeOffset Submitted,
    long Version,
    DateTimeOffset OccurredAt);
