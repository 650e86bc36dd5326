using EmsAchse.Funding.Coverage;

namespace EmsAchse.Funding.Budgets;

/// <summary>What one funder pays of a site's annual budget.</summary>
public sealed record Contribution(Guid FunderId, long AmountCents);

/// <summary>A site's annual budget split among its funders; CoveredCents is the sum of the contributions.</summary>
public sealed record BudgetSplit(int Year, long AmountCents, long CoveredCents, long UncoveredCents, IReadOnlyList<Contribution> Contributions);

/// <summary>
/// Splits a site's annual budget by the shares active in that year: a funder pays
/// budget × share × (days its commitments cover) ÷ (days of the year). The covered part is rounded to
/// the nearest cent (half up) and handed out by largest remainder, so the contributions add up to it
/// exactly; equal remainders go to the lower funder id first, so the split is deterministic.
/// </summary>
public static class BudgetAllocation
{
    public static BudgetSplit Split(long amountCents, int year, IEnumerable<FundingShare> shares)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amountCents);
        var first = new DateOnly(year, 1, 1);
        var last = new DateOnly(year, 12, 31);
        var daysInYear = last.DayNumber - first.DayNumber + 1;
        // Exact contribution = numerator / denominator cents; Int128 so large budgets cannot overflow.
        Int128 denominator = (Int128)SiteCoverage.Full * daysInYear;
        var exact = shares
            .GroupBy(s => s.FunderId)
            .Select(g => (FunderId: g.Key, Numerator: g.Aggregate(Int128.Zero, (sum, s) => sum + ((Int128)amountCents * s.ShareBasisPoints * s.DaysWithin(first, last)))))
            .Where(f => f.Numerator > 0)
            .OrderBy(f => f.FunderId.ToString("D"), StringComparer.Ordinal)
            .ToList();
        var totalNumerator = exact.Aggregate(Int128.Zero, (sum, f) => sum + f.Numerator);
        var covered = (long)(((totalNumerator * 2) + denominator) / (denominator * 2));
        var floors = exact.Select(f => (long)(f.Numerator / denominator)).ToArray();
        var left = covered - floors.Sum();
        // Largest remainders first; OrderBy is stable, so equal remainders keep the funder-id order.
        var winners = exact
            .Select((f, i) => (Index: i, Remainder: f.Numerator % denominator))
            .OrderByDescending(r => r.Remainder)
            .Take((int)left)
            .Select(r => r.Index);
        foreach (var i in winners)
        {
            floors[i]++;
        }
        var contributions = exact.Select((f, i) => new Contribution(f.FunderId, floors[i])).ToList();
        return new BudgetSplit(year, amountCents, covered, amountCents - covered, contributions);
    }
}
