extern alias portal;

using portal::EmsAchse.Portal.Charts;
using Xunit;

namespace EmsAchse.Portal.Tests.Console;

public sealed class NiceScaleTests
{
    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(3, 1, 3)]
    [InlineData(7, 2, 8)]
    [InlineData(150_000, 50_000, 150_000)]
    [InlineData(120_001, 50_000, 150_000)]
    [InlineData(199_999, 50_000, 200_000)]
    [InlineData(250_000, 100_000, 300_000)]
    public void steps_are_round_and_the_axis_reaches_the_maximum(long max, long step, long end) =>
        Assert.Equal((step, end), NiceScale.For(max));
}

public sealed class CoverageSeriesTests
{
    [Fact]
    public void two_halves_that_meet_make_one_stretch_of_their_sum()
    {
        var stretches = CoverageSeries.OfYear(2026, [new ShareSpan(5000, new DateOnly(2020, 1, 1), null), new ShareSpan(5000, new DateOnly(2024, 6, 1), null)]);

        Assert.Equal([new CoverageStretch(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), 10000)], stretches);
    }

    [Fact]
    public void a_share_that_starts_and_ends_inside_the_year_makes_three_stretches()
    {
        var stretches = CoverageSeries.OfYear(2026, [new ShareSpan(3000, new DateOnly(2026, 3, 1), new DateOnly(2026, 8, 31))]);

        Assert.Equal(
            [
                new CoverageStretch(new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 28), 0),
                new CoverageStretch(new DateOnly(2026, 3, 1), new DateOnly(2026, 8, 31), 3000),
                new CoverageStretch(new DateOnly(2026, 9, 1), new DateOnly(2026, 12, 31), 0),
            ],
            stretches);
    }

    [Fact]
    public void a_withdrawn_share_ended_before_it_began_counts_nothing() =>
        Assert.Equal(
            [new CoverageStretch(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), 0)],
            CoverageSeries.OfYear(2026, [new ShareSpan(5000, new DateOnly(2026, 5, 1), new DateOnly(2026, 4, 30))]));
}

public sealed class CoverageChartTests
{
    [Fact]
    public void full_coverage_all_year_is_one_line_at_the_top_from_the_first_to_the_last_day()
    {
        var chart = CoverageChart.Build("Lingen", 2026, [new ShareSpan(10000, new DateOnly(2026, 1, 1), null)]);

        Assert.Equal("M46 10 H392", chart.StepPath);
        Assert.Equal("M46 10 H392 V150 H46 Z", chart.AreaPath);
        Assert.True(chart.FullAllYear);
        Assert.Equal("Finanzierung des Standorts Lingen 2026: das ganze Jahr 100\u00a0%.", chart.Description);
    }

    [Fact]
    public void half_a_year_at_half_then_full_steps_up_on_the_first_of_july()
    {
        var chart = CoverageChart.Build("Leer", 2026, [new ShareSpan(5000, new DateOnly(2026, 1, 1), null), new ShareSpan(5000, new DateOnly(2026, 7, 1), null)]);

        // 1 July is day 181 of 365: x = 46 + 346 × 181 / 365 = 217.58.
        Assert.Equal("M46 80 H217.58 V10 H392", chart.StepPath);
        Assert.False(chart.FullAllYear);
        Assert.Equal("Finanzierung des Standorts Leer 2026: vom 01.01.2026 bis 30.06.2026 50\u00a0%, vom 01.07.2026 bis 31.12.2026 100\u00a0%.", chart.Description);
    }

    [Fact]
    public void months_are_german_and_the_percent_axis_runs_from_zero_at_the_bottom_to_a_hundred_at_the_top()
    {
        var chart = CoverageChart.Build("Lingen", 2026, []);

        Assert.Equal(["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"], chart.MonthLabels.Select(t => t.Label));
        Assert.Equal(46, chart.MonthTicks[0].Position);
        Assert.Equal(["0\u00a0%", "25\u00a0%", "50\u00a0%", "75\u00a0%", "100\u00a0%"], chart.PercentTicks.Select(t => t.Label));
        Assert.Equal([150, 115, 80, 45, 10], chart.PercentTicks.Select(t => t.Position));
        Assert.Equal("M46 150 H392", chart.StepPath);
    }

    [Fact]
    public void a_leap_year_has_366_days_on_its_axis() =>
        // 1 March 2028 is day 60 of 366: x = 46 + 346 × 60 / 366 = 102.72.
        Assert.Equal(102.72, Math.Round(CoverageChart.Build("Lingen", 2028, []).MonthTicks[2].Position, 2));

    [Fact]
    public void coverage_above_a_hundred_percent_stays_at_the_top() =>
        Assert.Equal(CoverageChart.Y(10000), CoverageChart.Y(12000));
}

public sealed class ContributionChartTests
{
    [Fact]
    public void funders_are_ordered_by_total_and_stacked_by_site_on_a_round_euro_axis()
    {
        var chart = ContributionChart.Build(
        [
            new Contribution("Stadt Lingen (Ems)", "Lingen", 6_000_000),
            new Contribution("Landkreis Emsland", "Lingen", 6_000_000),
            new Contribution("Landkreis Emsland", "Leer", 2_000_000),
            new Contribution("Landkreis Leer", "Leer", 0),
        ]);

        Assert.Equal(["Landkreis Emsland", "Stadt Lingen (Ems)"], chart.Bars.Select(b => b.Funder));
        Assert.Equal(["Lingen", "Leer"], chart.Sites);
        Assert.Equal(["0\u00a0€", "20.000\u00a0€", "40.000\u00a0€", "60.000\u00a0€", "80.000\u00a0€"], chart.EuroTicks.Select(t => t.Label));
        var emsland = chart.Bars[0];
        Assert.Equal("Landkreis Emsland: 80.000,00\u00a0€", emsland.Label);
        // 60.000 € of an axis of 80.000 € over 372 units, then 20.000 € after it.
        Assert.Equal([(8.0, 279.0, 0), (287.0, 93.0, 1)], emsland.Segments.Select(s => (Math.Round(s.X, 2), Math.Round(s.Width, 2), s.Series)));
        Assert.Equal(14_000_000, chart.TotalCents);
        Assert.Equal("Beiträge je Geldgeber: Landkreis Emsland 80.000,00\u00a0€; Stadt Lingen (Ems) 60.000,00\u00a0€. Zusammen 140.000,00\u00a0€.", chart.Description);
    }

    [Fact]
    public void rows_go_down_one_per_funder_and_the_axis_sits_below_the_last()
    {
        var chart = ContributionChart.Build([new Contribution("A", "Lingen", 100), new Contribution("B", "Lingen", 50)]);

        Assert.Equal([20.0, 64.0], chart.Bars.Select(b => b.LabelY));
        Assert.Equal([26.0, 70.0], chart.Bars.Select(b => b.BarY));
        Assert.Equal(98, chart.AxisY);
    }

    [Fact]
    public void without_contributions_there_are_no_bars_and_the_description_says_so()
    {
        var chart = ContributionChart.Build([]);

        Assert.Empty(chart.Bars);
        Assert.Equal("Keine Beiträge in diesem Jahr.", chart.Description);
    }
}
