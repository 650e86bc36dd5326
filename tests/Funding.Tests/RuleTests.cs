using EmsAchse.Funding.Budgets;
using EmsAchse.Funding.Coverage;
using EmsAchse.Funding.Fees;
using Xunit;

namespace EmsAchse.Funding.Tests;

public sealed class SiteCoverageTests
{
    private static readonly Guid FunderA = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid FunderB = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid FunderC = Guid.Parse("00000000-0000-0000-0000-00000000000c");

    private static FundingShare Share(Guid funder, int bp, string from, string? to = null) =>
        new(Guid.NewGuid(), funder, bp, DateOnly.Parse(from), to is null ? null : DateOnly.Parse(to));

    [Fact]
    public void over_commitment_on_a_single_overlapping_day_is_found_with_its_date_and_figures()
    {
        var a = Share(FunderA, 6000, "2025-01-01", "2025-06-30");
        var candidate = Share(FunderB, 5000, "2025-06-30");

        var over = SiteCoverage.FindOverCommitment([a], candidate);

        Assert.NotNull(over);
        Assert.Equal(new DateOnly(2025, 6, 30), over.Date);
        Assert.Equal(6000, over.CurrentBasisPoints);
        Assert.Equal(11000, over.TotalBasisPoints);
        Assert.Equal(new[] { a.CommitmentId, candidate.CommitmentId }.Order(), over.Commitments.Order());
    }

    [Fact]
    public void adjacent_periods_that_do_not_overlap_are_allowed()
    {
        var a = Share(FunderA, 6000, "2025-01-01", "2025-06-30");
        var candidate = Share(FunderB, 5000, "2025-07-01");

        Assert.Null(SiteCoverage.FindOverCommitment([a], candidate));
        Assert.Null(SiteCoverage.FindOverlapOfSameFunder([a], candidate with { FunderId = FunderA }));
    }

    [Fact]
    public void exactly_one_hundred_percent_is_allowed_and_one_basis_point_more_is_not()
    {
        var a = Share(FunderA, 5000, "2025-01-01");
        Assert.Null(SiteCoverage.FindOverCommitment([a], Share(FunderB, 5000, "2025-01-01")));
        Assert.Equal(10001, SiteCoverage.FindOverCommitment([a], Share(FunderB, 5001, "2030-01-01"))!.TotalBasisPoints);
    }

    [Fact]
    public void a_changed_commitment_is_checked_without_its_old_self()
    {
        var a = Share(FunderA, 5000, "2025-01-01");
        var b = Share(FunderB, 5000, "2025-01-01");

        Assert.Null(SiteCoverage.FindOverCommitment([a, b], a with { ShareBasisPoints = 5000, ValidFrom = new DateOnly(2024, 1, 1) }));
        Assert.NotNull(SiteCoverage.FindOverCommitment([a, b], a with { ShareBasisPoints = 5001 }));
    }

    [Fact]
    public void the_same_funder_may_not_overlap_itself_on_one_site()
    {
        var a = Share(FunderA, 2000, "2025-01-01", "2025-12-31");

        Assert.Equal(a, SiteCoverage.FindOverlapOfSameFunder([a], Share(FunderA, 1000, "2025-12-31")));
        Assert.Null(SiteCoverage.FindOverlapOfSameFunder([a], Share(FunderB, 1000, "2025-12-31")));
    }

    [Fact]
    public void a_withdrawn_commitment_counts_on_no_day()
    {
        var withdrawn = Share(FunderA, 10000, "2026-01-01", "2025-12-31");

        Assert.True(withdrawn.IsEmpty);
        Assert.Null(SiteCoverage.FindOverCommitment([withdrawn], Share(FunderB, 10000, "2025-01-01")));
        Assert.Equal(0, SiteCoverage.TotalOn([withdrawn], new DateOnly(2026, 1, 1)));
    }

    [Fact]
    public void gaps_are_the_stretches_below_one_hundred_percent()
    {
        var shares = new[] { Share(FunderA, 5000, "2025-01-01"), Share(FunderB, 5000, "2025-03-01", "2025-09-30"), Share(FunderC, 2500, "2025-11-01") };

        var gaps = SiteCoverage.Gaps(shares, new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31));

        Assert.Equal(
            [
                new CoverageSegment(new DateOnly(2025, 1, 1), new DateOnly(2025, 2, 28), 5000),
                new CoverageSegment(new DateOnly(2025, 10, 1), new DateOnly(2025, 10, 31), 5000),
                new CoverageSegment(new DateOnly(2025, 11, 1), new DateOnly(2025, 12, 31), 7500),
            ],
            gaps);
    }

    [Theory]
    [InlineData(0, "unfunded")]
    [InlineData(1, "partial")]
    [InlineData(9999, "partial")]
    [InlineData(10000, "full")]
    public void status_follows_the_total(int total, string status) => Assert.Equal(status, SiteCoverage.StatusOf(total));
}

public sealed class BudgetAllocationTests
{
    private static readonly Guid FunderA = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid FunderB = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid FunderC = Guid.Parse("00000000-0000-0000-0000-00000000000c");

    private static FundingShare Share(Guid funder, int bp, string from, string? to = null) =>
        new(Guid.NewGuid(), funder, bp, DateOnly.Parse(from), to is null ? null : DateOnly.Parse(to));

    [Fact]
    public void an_awkward_amount_is_split_to_the_cent_and_adds_up_exactly()
    {
        var split = BudgetAllocation.Split(100_001, 2025, [Share(FunderA, 3333, "2020-01-01"), Share(FunderB, 3333, "2020-01-01"), Share(FunderC, 3334, "2020-01-01")]);

        Assert.Equal(100_001, split.CoveredCents);
        Assert.Equal(0, split.UncoveredCents);
        Assert.Equal(100_001, split.Contributions.Sum(c => c.AmountCents));
        // 33330.33 + 33330.33 + 33340.33: the one cent left goes to the largest remainder (C's .3334).
        Assert.Equal([new Contribution(FunderA, 33_330), new Contribution(FunderB, 33_330), new Contribution(FunderC, 33_341)], split.Contributions);
    }

    [Fact]
    public void equal_remainders_are_broken_by_funder_id_so_the_split_is_deterministic()
    {
        var shares = new[] { Share(FunderC, 3333, "2020-01-01"), Share(FunderB, 3333, "2020-01-01"), Share(FunderA, 3334, "2020-01-01") };

        var split = BudgetAllocation.Split(2, 2025, shares);
        var again = BudgetAllocation.Split(2, 2025, shares.Reverse());

        // Exact: 0.6666, 0.6666, 0.6668; A's remainder is largest, then B before C by id.
        Assert.Equal([new Contribution(FunderA, 1), new Contribution(FunderB, 1), new Contribution(FunderC, 0)], split.Contributions);
        Assert.Equal(split.Contributions, again.Contributions);
    }

    [Fact]
    public void a_commitment_starting_on_the_first_of_july_pays_pro_rata_by_days()
    {
        // 2025 has 365 days; 1 July to 31 December are 184 of them.
        var split = BudgetAllocation.Split(365_000, 2025, [Share(FunderA, 5000, "2020-01-01"), Share(FunderB, 5000, "2025-07-01")]);

        Assert.Equal(new Contribution(FunderA, 182_500), split.Contributions.Single(c => c.FunderId == FunderA));
        Assert.Equal(new Contribution(FunderB, 92_000), split.Contributions.Single(c => c.FunderId == FunderB));
        Assert.Equal(274_500, split.CoveredCents);
        Assert.Equal(90_500, split.UncoveredCents);
    }

    [Fact]
    public void shares_outside_the_year_and_no_shares_contribute_nothing()
    {
        var split = BudgetAllocation.Split(50_000, 2025, [Share(FunderA, 10000, "2026-01-01"), Share(FunderB, 10000, "2020-01-01", "2024-12-31")]);

        Assert.Empty(split.Contributions);
        Assert.Equal(0, split.CoveredCents);
        Assert.Equal(50_000, split.UncoveredCents);
    }

    [Fact]
    public void two_commitments_of_one_funder_in_a_year_make_one_contribution()
    {
        var split = BudgetAllocation.Split(36_500, 2025, [Share(FunderA, 10000, "2025-01-01", "2025-06-30"), Share(FunderA, 5000, "2025-07-01")]);

        // 181 days at 100 % + 184 days at 50 % of 100 cents a day.
        Assert.Equal([new Contribution(FunderA, 18_100 + 9_200)], split.Contributions);
    }
}

public sealed class MembershipFeeTests
{
    [Fact]
    public void a_membership_from_the_first_of_july_owes_the_days_left_in_the_year()
    {
        var period = MembershipFee.ForYear(36_500, new DateOnly(2025, 7, 1), null, 2025);

        Assert.Equal(new FeePeriod(2025, new DateOnly(2025, 7, 1), new DateOnly(2025, 12, 31), 18_400), period);
    }

    [Fact]
    public void a_membership_from_an_earlier_year_owes_the_whole_fee_and_a_later_or_ended_one_nothing()
    {
        Assert.Equal(50_000, MembershipFee.ForYear(50_000, new DateOnly(2020, 3, 15), null, 2025)!.AmountCents);
        Assert.Null(MembershipFee.ForYear(50_000, new DateOnly(2026, 1, 1), null, 2025));
        Assert.Null(MembershipFee.ForYear(50_000, new DateOnly(2020, 1, 1), new DateOnly(2024, 12, 31), 2025));
    }

    [Fact]
    public void pro_rata_fees_round_half_up_to_the_cent()
    {
        // 100 cents × 1 day / 365 = 0.27 -> 0; 200 × 1 / 365 = 0.55 -> 1.
        Assert.Equal(0, MembershipFee.ForYear(100, new DateOnly(2025, 12, 31), null, 2025)!.AmountCents);
        Assert.Equal(1, MembershipFee.ForYear(200, new DateOnly(2025, 12, 31), null, 2025)!.AmountCents);
    }
}

public sealed class FeeClaimYearTests
{
    [Fact]
    public void an_activation_on_the_thirtieth_of_december_seen_on_the_second_of_january_owes_both_years() =>
        Assert.Equal([2025, 2026], FeeClaims.YearsOwed(new DateOnly(2025, 12, 30), null, new DateOnly(2026, 1, 2)));

    [Fact]
    public void an_activation_of_this_year_owes_this_year_only() =>
        Assert.Equal([2026], FeeClaims.YearsOwed(new DateOnly(2026, 3, 1), null, new DateOnly(2026, 3, 1)));

    [Fact]
    public void an_ended_membership_owes_no_year_after_its_end_and_a_future_one_none_yet()
    {
        Assert.Equal([2023, 2024], FeeClaims.YearsOwed(new DateOnly(2023, 5, 1), new DateOnly(2024, 6, 30), new DateOnly(2026, 1, 2)));
        Assert.Empty(FeeClaims.YearsOwed(new DateOnly(2027, 1, 1), null, new DateOnly(2026, 1, 2)));
    }
}
