namespace EmsAchse.Funding.Coverage;

/// <summary>A funder's share of a site over a period; ValidTo is inclusive, null means open-ended.</summary>
public sealed record FundingShare(Guid CommitmentId, Guid FunderId, int ShareBasisPoints, DateOnly ValidFrom, DateOnly? ValidTo)
{
    public bool ActiveOn(DateOnly date) => ValidFrom <= date && (ValidTo is null || date <= ValidTo);

    public bool Overlaps(FundingShare other) =>
        ValidFrom <= (other.ValidTo ?? DateOnly.MaxValue) && other.ValidFrom <= (ValidTo ?? DateOnly.MaxValue);
}

/// <summary>The over-commitment found: on Date the site would reach TotalBasisPoints with these commitments.</summary>
public sealed record OverCommitment(DateOnly Date, int TotalBasisPoints, IReadOnlyList<Guid> Commitments);

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
        var all = existing.Where(e => e.CommitmentId != candidate.CommitmentId).Append(candidate).ToList();
        var checkpoints = all.Where(s => s.Overlaps(candidate)).Select(s => s.ValidFrom < candidate.ValidFrom ? candidate.ValidFrom : s.ValidFrom).Distinct().Order();
        foreach (var date in checkpoints)
        {
            var active = all.Where(s => s.ActiveOn(date)).ToList();
            var total = active.Sum(s => s.ShareBasisPoints);
            if (total > Full)
            {
                return new OverCommitment(date, total, active.Select(s => s.CommitmentId).ToList());
            }
        }
        return null;
    }

    /// <summary>Whether a funder would hold two overlapping commitments for the same site.</summary>
    public static FundingShare? FindOverlapOfSameFunder(IReadOnlyList<FundingShare> existing, FundingShare candidate) =>
        existing.FirstOrDefault(e => e.CommitmentId != candidate.CommitmentId && e.FunderId == candidate.FunderId && e.Overlaps(candidate));
}
