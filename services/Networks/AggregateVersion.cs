namespace EmsAchse.Networks;

/// <summary>
/// Versions of this service's own aggregates, carried by their events (the copies' rule is
/// <see cref="Platform.ReadModels.VersionedCopy"/>).
/// </summary>
public static class AggregateVersion
{
    /// <summary>The version the next change of one of our own aggregates carries.</summary>
    public static long Next(long current) => checked(current + 1);
}
