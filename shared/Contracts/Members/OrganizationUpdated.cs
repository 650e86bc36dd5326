namespace EmsAchse.Contracts.Members;

/// <summary>
/// An organisation's name, kind or district changed: the facts other services copy with its memberships.
/// <see cref="Version"/> is the organisation's, shared with <see cref="OrganizationErased"/>, not a membership's.
/// </summary>
public sealed record OrganizationUpdated(
    Guid OrganizationId,
    string Name,
    string Kind,
    string District,
    long Version,
    DateTimeOffset OccurredAt);
