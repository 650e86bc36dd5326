namespace EmsAchse.Contracts.Members;

/// <summary>The network's manager rejected an application; the membership never became active.</summary>
public sealed record MembershipRejected(
    Guid MembershipId,
    Guid OrganizationId,
    string OrganizationName,
    string Network,
    string Status,
    string? Reason,
    long Version,
    DateTimeOffset OccurredAt);
