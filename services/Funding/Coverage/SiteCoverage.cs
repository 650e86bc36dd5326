namespace EmsAchse.Funding.Coverage;

/// <summary>
/// A funder's share of a site over a period; ValidTo is inclusive, null means open-ended. A commitment
/// ended the day before it began (ValidTo = ValidFrom - 1) never counted: its period is empty.
/// </summary>
public sealed record FundingShare(Guid CommitmentId, Guid FunderId, int ShareBasisPoints, DateOnly ValidFrom, DateOnly? ValidTo)
{
    public bool IsEmpty => ValidTo is { } to && to < ValidFrom;

    public bool ActiveOn(DateOnly date) => ValidFrom <= date && (ValidTo is null || date <= ValidTo);

    public bool Overlaps(FundingShare other) =>
        !IsEmpty && !other.IsEmpty
        && ValidFrom <= (other.ValidTo ?? DateOnly.MaxValue) && other.ValidFrom <= (ValidTo ?? DateOnly.MaxValue);

    /// <summary>How many days of [from, to] this share covers.</summary>
    public int DaysWithin(DateOnly from, DateOnly to)
    {
        var start = ValidFrom > from ? ValidFrom : from;
        var end = ValidTo is { } validTo && validTo < to ? validTo : to;
        return end < start ? 0 : end.DayNumber - start.DayNumber + 1;
    }
}

/// <summary>
/// The over-commitment found: on Date the site would reach TotalBasisPoints (it has CurrentBasisPoints
/// without the candidate) with these commitments.
/// </summary>
public sealed record OverCommitment(DateOnly Date, int CurrentBasisPoints, int TotalBasisPoints, IReadOnlyList<Guid> Commitments);

/// <summary>A stretch of days with the same coverage; To is inclusive.</summary>
public sealed record CoverageSegment(DateOnly From, DateOnly To, int TotalBasisPoints);

/// <summary>Coverage rules of a site: at no date may the active shares add up to more than 100 %.</summary>
public static class SiteCoverage
{
    public const int Full = 10_000;

    public static int TotalOn(IEnumerable<FundingShare> shares, DateOnly date) =>
        shares.Where(s => s.ActiveOn(date)).Sum(s => s.ShareBasisPoints);

    public static string StatusOf(int totalBasisPoints) => totalBasisPoints switch
    {
        <= 0 => "unfunded",
        < Full => "partial",
        _ => "full",
    };

    /// <summary>
    /// The first date on which adding <paramref name="candidate"/> would exceed 100 %, or null. The
    /// total only rises where a commitment starts, so those start dates are the only ones to check.
    /// </summary>
    public static OverCommitment? FindOverCommitment(IReadOnlyList<FundingShare> existing, FundingShare candidate)
    {
        if (candidate.IsEmpty)
        {
            return null;
        }
        var others = existing.Where(e => e.CommitmentId != candidate.CommitmentId).ToList();
        var all = others.Append(candidate).ToList();
        var checkpoints = all.Where(s => s.Overlaps(candidate)).Select(s => s.ValidFrom < candidate.ValidFrom ? candidate.ValidFrom : s.ValidFrom).Distinct().Order();
        foreach (var date in checkpoints)
        {
            var active = all.Where(s => s.ActiveOn(date)).ToList();
            var total = active.Sum(s => s.ShareBasisPoints);
            if (total > Full)
            {
                return new OverCommitment(date, TotalOn(others, date), total, active.Select(s => s.CommitmentId).ToList());
            }
        }
        return null;
    }

    /// <summary>Whether a funder would hold two overlapping commitments for the same site.</summary>
    public static FundingShare? FindOverlapOfSameFunder(IReadOnlyList<FundingShare> existing, FundingShare candidate) =>
        existing.FirstOrDefault(e => e.CommitmentId != candidate.CommitmentId && e.FunderId == candidate.FunderId && e.Overlaps(candidate));

    /// <summary>The coverage of [from, to] as stretches of equal total, in date order.</summary>
    public static IReadOnlyList<CoverageSegment> Segments(IReadOnlyList<FundingShare> shares, DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            return [];
        }
        // The total changes only where a share starts or the day after one ends.
        var boundaries = new SortedSet<DateOnly> { from };
        foreach (var s in shares.Where(s => !s.IsEmpty))
        {
            if (s.ValidFrom > from && s.ValidFrom <= to)
            {
                boundaries.Add(s.ValidFrom);
            }
            if (s.ValidTo is { } end && end >= from && end < to)
            {
                boundaries.Add(end.AddDays(1));
            }
        }
        var starts = boundaries.ToList();
        var segments = new List<CoverageSegment>();
        for (var i = 0; i < starts.Count; i++)
        {
            var segmentEnd = i + 1 < starts.Count ? starts[i + 1].AddDays(-1) : to;
            var total = TotalOn(shares, starts[i]);
            if (segments.Count > 0 && segments[^1].TotalBasisPoints == total)
            {
                segments[^1] = segments[^1] with { To = segmentEnd };
            }
            else
            {
                segments.Add(new CoverageSegment(starts[i], segmentEnd, total));
            }
        }
        return segments;
    }

    /// <summary>The stretches of [from, to] in which the site is not fully funded.</summary>
    public static IReadOnlyList<CoverageSegment> Gaps(IReadOnlyList<FundingShare> shares, DateOnly from, DateOnly to) =>
        Segments(shares, from, to).Where(s => s.TotalBasisPoints < Full).ToList();
}
