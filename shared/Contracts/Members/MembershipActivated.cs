namespace EmsAchse.Contracts.Members;

/// <summary>A membership became active: the organisation is now a member of the network. Carries what consumers keep of the membership at <see cref="Version"/>.</summary>
public sealed record MembershipActivated(
    Guid MembershipId,
    Guid OrganizationId,
    string OrganizationName,
    string OrganizationKind,
    string District,
    string Network,
    string Status,
    DateOnly Since,
    DateOnly? Until,
    long Version,
    DateTimeOffset OccurredAt);
