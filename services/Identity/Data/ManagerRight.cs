namespace EmsAchse.Identity.Data;

/// <summary>
/// The networks service's manager as identity last applied it: only a newer version changes it, so a redelivered,
/// reordered or re-synced event leaves the same state. The account's network claim follows these rows.
/// </summary>
public sealed class ManagerRight
{
    public Guid ManagerId { get; set; }

    /// <summary>As ASP.NET Core Identity normalises it: accounts are keyed by it.</summary>
    public string NormalizedEmail { get; set; } = "";

    public string NetworkSlug { get; set; } = "";

    public long Version { get; set; }

    public bool Removed { get; set; }
}
