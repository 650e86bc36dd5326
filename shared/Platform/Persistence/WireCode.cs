using System.Collections.Concurrent;
using System.Text;

namespace EmsAchse.Platform.Persistence;

/// <summary>Kebab-case codes of enum members, as they appear on the wire and in the databases.</summary>
public static class WireCode
{
    private static readonly ConcurrentDictionary<Enum, string> Codes = new();

    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => Codes.GetOrAdd(value, v => Kebab(v.ToString()));

    public static TEnum Parse<TEnum>(string code)
        where TEnum : struct, Enum =>
        TryParse<TEnum>(code, out var value)
            ? value
            : throw new FormatException($"'{code}' is not a {typeof(TEnum).Name} code.");

    public static bool TryParse<TEnum>(string? code, out TEnum value)
        where TEnum : struct, Enum
    {
        if (!string.IsNullOrWhiteSpace(code))
        {
            foreach (var candidate in Enum.GetValues<TEnum>())
            {
                if (string.Equals(Of(candidate), code.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    value = candidate;
                    return true;
                }
            }
        }
        value = default;
        return false;
    }

    public static string Kebab(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0)
            {
                builder.Append('-');
            }
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}
