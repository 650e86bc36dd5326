namespace EmsAchse.Contracts.Members;

/// <summary>The personal data of an organisation's contacts was erased (GDPR); drop any copies of it.</summary>
public sealed record OrganizationErased(Guid OrganizationId, long Version, DateTimeOffset OccurredAt);
