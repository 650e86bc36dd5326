using EmsAchse.Platform.Hosting;

namespace EmsAchse.Members;

/// <summary>
/// 409: an erased organisation takes no new personal data. At the service's root because contacts, applications and
/// memberships refuse alike.
/// </summary>
internal static class ErasedOrganization
{
    public static ConflictProblem Conflict(Guid id, DateTimeOffset erasedAt, string what) =>
        new("The organisation's personal data was erased.", $"Organisation {id} was erased on {erasedAt:yyyy-MM-dd} and {what}.");
}
