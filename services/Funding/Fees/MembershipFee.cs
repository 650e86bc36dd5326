namespace EmsAchse.Funding.Fees;

/// <summary>The fee a membership owes for one year: the days it is a member from Since, pro rata.</summary>
public sealed record FeePeriod(int Year, DateOnly From, DateOnly To, long AmountCents);

/// <summary>
/// Membership fee rules: the annual fee is owed for a year in which the membership is active, pro
/// rata by days from its start date in the year it starts (rounded half up to a cent). An ended
/// membership owes nothing for the years after it ended.
/// </summary>
public static class MembershipFee
{
    public static FeePeriod? ForYear(long annualFeeCents, DateOnly since, DateOnly? until, int year)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(annualFeeCents);
        var first = new DateOnly(year, 1, 1);
        var last = new DateOnly(year, 12, 31);
        if (since > last || (until is { } end && end < first))
        {
            return null;
        }
        var from = since > first ? since : first;
        var days = last.DayNumber - from.DayNumber + 1;
        var daysInYear = last.DayNumber - first.DayNumber + 1;
        var amount = ((Int128)annualFeeCents * days * 2 + daysInYear) / (daysInYear * 2);
        return new FeePeriod(year, from, last, (long)amount);
    }
}
