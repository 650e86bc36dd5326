using System.Globalization;

namespace EmsAchse.Portal.Display;

/// <summary>How the portal writes numbers, money, shares and dates: de-DE (1.234,56 €, 31.12.2026, 50 %).</summary>
public static class GermanFormat
{
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>Euro cents as "1.234,56 €" (a no-break space before the sign, as de-DE writes it).</summary>
    public static string Euro(long cents) => (cents / 100m).ToString("#,##0.00", Culture) + "\u00a0€";

    public static string Number(long value) => value.ToString("#,##0", Culture);

    public static string Date(DateOnly date) => date.ToString("dd.MM.yyyy", Culture);

    public static string Date(DateTimeOffset moment) => Date(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(moment, Berlin).DateTime));

    /// <summary>Basis points as a percentage: 10000 → "100 %", 7050 → "70,5 %", 3333 → "33,33 %".</summary>
    public static string Percent(int basisPoints) => (basisPoints / 100m).ToString("0.##", Culture) + "\u00a0%";

    /// <summary>"1 Mitglied", "2 Mitglieder": a count with the noun that fits it.</summary>
    public static string Count(long count, string one, string many) => $"{Number(count)} {(count == 1 ? one : many)}";

    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
}
