using System.Globalization;

namespace EmsAchse.Portal.Display;

/// <summary>Reads what people type into the console's German forms: "1.234,56" euros, "33,33" per cent.</summary>
public static class GermanInput
{
    /// <summary>Euros as typed ("1.234,56", "1234", "1234,5", optionally with "€") in cents; null if it is no amount or negative.</summary>
    public static long? Cents(string? text)
    {
        var cleaned = text?.Replace("€", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal).Trim();
        if (string.IsNullOrEmpty(cleaned)
            || !decimal.TryParse(cleaned, NumberStyles.AllowThousands | NumberStyles.AllowDecimalPoint, GermanFormat.Culture, out var euros)
            || euros < 0
            || decimal.Round(euros, 2) != euros
            || euros > 1_000_000_000_000m)
        {
            return null;
        }
        return (long)(euros * 100);
    }

    /// <summary>A share as typed in per cent ("50", "33,33", "12,5 %") in basis points; null if it is no number with at most two decimals.</summary>
    public static int? BasisPoints(string? text)
    {
        var cleaned = text?.Replace("%", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal).Trim();
        if (string.IsNullOrEmpty(cleaned)
            || !decimal.TryParse(cleaned, NumberStyles.AllowDecimalPoint, GermanFormat.Culture, out var percent)
            || decimal.Round(percent, 2) != percent
            || percent > 1_000_000m)
        {
            return null;
        }
        return (int)(percent * 100);
    }

    /// <summary>Cents as the form shows them again for editing: 123456 → "1.234,56".</summary>
    public static string Euros(long cents) => (cents / 100m).ToString("#,##0.00", GermanFormat.Culture);

    /// <summary>Basis points for editing: 3333 → "33,33", 5000 → "50".</summary>
    public static string Percent(int basisPoints) => (basisPoints / 100m).ToString("0.##", GermanFormat.Culture);
}
