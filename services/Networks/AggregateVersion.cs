namespace EmsAchse.Networks;

/// <summary>
/// Versions of another service's aggregate: an event is applied only if it is newer than the copy
/// held, so redelivered, reordered or replayed events leave the same state.
/// </summary>
public static class AggregateVersion
{
    public static bool Supersedes(long incoming, long? held) => held is not { } current || incoming > current;

    /// <summary>The version the next change of one of our own aggregates carries.</summary>
    public static long Next(long current) => checked(current + 1);
}
