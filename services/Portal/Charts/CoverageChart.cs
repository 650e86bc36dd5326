using System.Text;
using EmsAchse.Portal.Display;

namespace EmsAchse.Portal.Charts;

/// <summary>
/// The geometry of a site's coverage through a year: a step line from 0 to 100 % over the days, with a tick per month
/// and the stretches it was drawn from (for the data table and the description).
/// </summary>
public sealed record CoverageChartModel(
    int Year,
    string Site,
    string StepPath,
    string AreaPath,
    IReadOnlyList<AxisTick> MonthTicks,
    IReadOnlyList<AxisTick> MonthLabels,
    IReadOnlyList<AxisTick> PercentTicks,
    IReadOnlyList<CoverageStretch> Stretches,
    string Description)
{
    public const double Width = 400;
    public const double Height = 180;
    public const double Left = 46;
    public const double Right = 392;
    public const double Top = 10;
    public const double Bottom = 150;

    public bool FullAllYear => Stretches is [{ TotalBasisPoints: >= CoverageChart.Full }];
}

public static class CoverageChart
{
    public const int Full = 10_000;

    public static CoverageChartModel Build(string site, int year, IEnumerable<ShareSpan> shares)
    {
        var stretches = CoverageSeries.OfYear(year, shares);
        var first = new DateOnly(year, 1, 1);
        var days = new DateOnly(year, 12, 31).DayNumber - first.DayNumber + 1;
        double X(DateOnly day) => CoverageChartModel.Left + (CoverageChartModel.Right - CoverageChartModel.Left) * (day.DayNumber - first.DayNumber) / days;

        var path = new StringBuilder();
        foreach (var (stretch, index) in stretches.Select((s, i) => (s, i)))
        {
            var y = ChartText.Coordinate(Y(stretch.TotalBasisPoints));
            path.Append(index == 0 ? $"M{ChartText.Coordinate(X(stretch.From))} {y}" : $" V{y}");
            path.Append($" H{ChartText.Coordinate(X(stretch.To.AddDays(1)))}");
        }
        var step = path.ToString();
        var area = $"{step} V{ChartText.Coordinate(CoverageChartModel.Bottom)} H{ChartText.Coordinate(CoverageChartModel.Left)} Z";

        var monthTicks = Enumerable.Range(1, 12).Select(m => new AxisTick(X(new DateOnly(year, m, 1)), ChartText.Months[m - 1])).ToList();
        var monthLabels = Enumerable.Range(1, 12).Select(m =>
        {
            var start = new DateOnly(year, m, 1);
            return new AxisTick((X(start) + X(start.AddMonths(1))) / 2, ChartText.Months[m - 1]);
        }).ToList();
        var percentTicks = new[] { 0, 2500, 5000, 7500, 10000 }.Select(bp => new AxisTick(Y(bp), GermanFormat.Percent(bp))).ToList();

        return new CoverageChartModel(year, site, step, area, monthTicks, monthLabels, percentTicks, stretches, Describe(site, year, stretches));
    }

    /// <summary>The y of a coverage; above 100 % (which the funding service refuses) stays at the top.</summary>
    public static double Y(int basisPoints) =>
        CoverageChartModel.Bottom - (CoverageChartModel.Bottom - CoverageChartModel.Top) * Math.Clamp(basisPoints, 0, Full) / Full;

    /// <summary>"Standort Lingen 2026: vom 01.01.2026 bis 30.06.2026 50 %, vom 01.07.2026 bis 31.12.2026 100 %."</summary>
    public static string Describe(string site, int year, IReadOnlyList<CoverageStretch> stretches) =>
        stretches is [var only]
            ? $"Finanzierung des Standorts {site} {year}: das ganze Jahr {GermanFormat.Percent(only.TotalBasisPoints)}."
            : $"Finanzierung des Standorts {site} {year}: " + string.Join(", ", stretches.Select(s => $"vom {GermanFormat.Date(s.From)} bis {GermanFormat.Date(s.To)} {GermanFormat.Percent(s.TotalBasisPoints)}")) + ".";
}
