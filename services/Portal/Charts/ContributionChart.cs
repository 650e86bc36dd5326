using EmsAchse.Portal.Display;

namespace EmsAchse.Portal.Charts;

/// <summary>What one funder pays to one site in the year, in euro cents.</summary>
public sealed record Contribution(string Funder, string Site, long AmountCents);

/// <summary>One site's part of a funder's bar.</summary>
public sealed record BarSegment(string Site, int Series, double X, double Width, long AmountCents);

/// <summary>A funder's horizontal bar: its name and total above, the sites' parts stacked left to right.</summary>
public sealed record FunderBar(string Funder, long TotalCents, double LabelY, double BarY, IReadOnlyList<BarSegment> Segments)
{
    public string Label => $"{Funder}: {GermanFormat.Euro(TotalCents)}";
}

/// <summary>The geometry of the contributions per funder, stacked by site, on a euro axis with round ticks.</summary>
public sealed record ContributionChartModel(
    double Height,
    double AxisY,
    IReadOnlyList<FunderBar> Bars,
    IReadOnlyList<AxisTick> EuroTicks,
    IReadOnlyList<string> Sites,
    long TotalCents,
    string Description)
{
    public const double Width = 400;
    public const double Left = 8;
    public const double Right = 380;
    public const double BarHeight = 18;
    public const double RowHeight = 44;
    public const double Top = 6;
}

public static class ContributionChart
{
    /// <summary>Distinct colours (CSS classes series-0 … series-5); more sites reuse them, the legend and table still tell them apart.</summary>
    public const int SeriesCount = 6;

    public static ContributionChartModel Build(IEnumerable<Contribution> contributions)
    {
        var given = contributions.Where(c => c.AmountCents > 0).ToList();
        var sites = given.Select(c => c.Site).Distinct().ToList();
        var funders = given.GroupBy(c => c.Funder)
            .Select(g => (Funder: g.Key, Total: g.Sum(c => c.AmountCents), Parts: g.ToList()))
            .OrderByDescending(f => f.Total).ThenBy(f => f.Funder, StringComparer.Ordinal)
            .ToList();
        var maxEuros = funders.Count == 0 ? 0 : (funders[0].Total + 99) / 100;
        var (step, end) = NiceScale.For(maxEuros);
        var plotWidth = ContributionChartModel.Right - ContributionChartModel.Left;
        double X(long cents) => ContributionChartModel.Left + plotWidth * cents / (end * 100.0);

        var bars = new List<FunderBar>();
        foreach (var (funder, index) in funders.Select((f, i) => (f, i)))
        {
            var labelY = ContributionChartModel.Top + index * ContributionChartModel.RowHeight + 14;
            var segments = new List<BarSegment>();
            var offset = 0L;
            foreach (var site in sites)
            {
                var amount = funder.Parts.Where(p => p.Site == site).Sum(p => p.AmountCents);
                if (amount == 0)
                {
                    continue;
                }
                segments.Add(new BarSegment(site, sites.IndexOf(site) % SeriesCount, X(offset), X(offset + amount) - X(offset), amount));
                offset += amount;
            }
            bars.Add(new FunderBar(funder.Funder, funder.Total, labelY, labelY + 6, segments));
        }
        var axisY = ContributionChartModel.Top + Math.Max(bars.Count, 1) * ContributionChartModel.RowHeight + 4;
        var ticks = new List<AxisTick>();
        for (var euros = 0L; euros <= end; euros += step)
        {
            ticks.Add(new AxisTick(X(euros * 100), ChartText.WholeEuro(euros)));
        }
        var total = funders.Sum(f => f.Total);
        var description = funders.Count == 0
            ? "Keine Beiträge in diesem Jahr."
            : "Beiträge je Geldgeber: " + string.Join("; ", funders.Select(f => $"{f.Funder} {GermanFormat.Euro(f.Total)}")) + $". Zusammen {GermanFormat.Euro(total)}.";
        return new ContributionChartModel(axisY + 28, axisY, bars, ticks, sites, total, description);
    }
}
