namespace EmsAchse.Contracts.Members;

/// <summary>A membership ended on Until. Carries what consumers keep of the membership at <see cref="Version"/>.</summary>
public sealed record MembershipEnded(
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
