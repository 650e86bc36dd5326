using System.Globalization;
using EmsAchse.Portal.Display;

namespace EmsAchse.Portal.Charts;

/// <summary>How the charts write numbers: coordinates in invariant culture for SVG, labels in de-DE.</summary>
public static class ChartText
{
    /// <summary>German month abbreviations, fixed here so a label never depends on the machine's ICU data.</summary>
    public static readonly IReadOnlyList<string> Months = ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"];

    /// <summary>An SVG coordinate: invariant culture, at most two decimals.</summary>
    public static string Coordinate(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Whole euros for an axis: 150000 → "150.000 €".</summary>
    public static string WholeEuro(long euros) => euros.ToString("#,##0", GermanFormat.Culture) + "\u00a0€";
}

/// <summary>A tick on an axis: where it sits (in SVG units along the axis) and what it says.</summary>
public sealed record AxisTick(double Position, string Label);

/// <summary>Axis ticks at round numbers: a step of 1, 2 or 5 × 10ⁿ, so that at most <c>maxTicks</c> steps reach the maximum.</summary>
public static class NiceScale
{
    private static readonly long[] Mantissas = [1, 2, 5];

    /// <summary>The step and the axis end (a multiple of the step, at least <paramref name="max"/>); a zero maximum gets an axis of one step of 1.</summary>
    public static (long Step, long End) For(long max, int maxTicks = 4)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTicks, 1);
        if (max == 0)
        {
            return (1, 1);
        }
        for (var magnitude = 1L; ; magnitude *= 10)
        {
            foreach (var mantissa in Mantissas)
            {
                var step = mantissa * magnitude;
                if (step * maxTicks >= max)
                {
                    return (step, (max + step - 1) / step * step);
                }
            }
        }
    }
}
