namespace EmsAchse.Portal.Charts;

/// <summary>A funder's share of a site over a period, as the funding report lists it; ValidTo is inclusive, null open-ended.</summary>
public sealed record ShareSpan(int ShareBasisPoints, DateOnly ValidFrom, DateOnly? ValidTo);

/// <summary>Days of equal coverage; To is inclusive.</summary>
public sealed record CoverageStretch(DateOnly From, DateOnly To, int TotalBasisPoints);

/// <summary>A site's coverage through one year, as stretches of equal total (what the chart draws and its table lists).</summary>
public static class CoverageSeries
{
    public static IReadOnlyList<CoverageStretch> OfYear(int year, IEnumerable<ShareSpan> shares)
    {
        var first = new DateOnly(year, 1, 1);
        var last = new DateOnly(year, 12, 31);
        var spans = shares.Where(s => s.ValidTo is not { } to || to >= s.ValidFrom).ToList();
        // The total changes only where a share starts or on the day after one ends.
        var starts = new SortedSet<DateOnly> { first };
        foreach (var s in spans)
        {
            if (s.ValidFrom > first && s.ValidFrom <= last)
            {
                starts.Add(s.ValidFrom);
            }
            if (s.ValidTo is { } end && end >= first && end < last)
            {
                starts.Add(end.AddDays(1));
            }
        }
        var days = starts.ToList();
        var stretches = new List<CoverageStretch>();
        for (var i = 0; i < days.Count; i++)
        {
            var to = i + 1 < days.Count ? days[i + 1].AddDays(-1) : last;
            var day = days[i];
            var total = spans.Where(s => s.ValidFrom <= day && (s.ValidTo is null || s.ValidTo >= day)).Sum(s => s.ShareBasisPoints);
            if (stretches.Count > 0 && stretches[^1].TotalBasisPoints == total)
            {
                stretches[^1] = stretches[^1] with { To = to };
            }
            else
            {
                stretches.Add(new CoverageStretch(day, to, total));
            }
        }
        return stretches;
    }
}
