namespace EmsAchse.Platform.Hosting;

/// <summary>The correlation id of the request or message being handled, flowing with async calls.</summary>
public static class CorrelationContext
{
    public const string Header = "X-Correlation-Id";

    private static readonly AsyncLocal<string?> Value = new();

    public static string? Current
    {
        get => Value.Value;
        set => Value.Value = value;
    }

    /// <summary>Accepts a caller's id only if it is short and plain, so it is safe in logs and headers.</summary>
    public static bool IsAcceptable(string? candidate) =>
        !string.IsNullOrEmpty(candidate)
        && candidate.Length <= 64
        && candidate.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    public static string NewId() => Guid.NewGuid().ToString("N");
}
