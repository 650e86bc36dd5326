using EmsAchse.Networks.Networks;
using Xunit;

namespace EmsAchse.Networks.Tests.Rules;

public sealed class NetworkRulesTests
{
    private static readonly DateOnly Today = new(2025, 6, 15);

    [Fact]
    public void a_named_network_with_topics_and_a_past_founding_is_valid() =>
        Assert.Empty(NetworkRules.ValidateDetails("IT-Achse", "IT", ["it"], new DateOnly(2012, 1, 1), Today));

    [Theory]
    [InlineData(null, "name")]
    [InlineData("   ", "name")]
    public void a_network_needs_a_name(string? name, string field) =>
        Assert.Contains(field, NetworkRules.ValidateDetails(name, null, null, null, Today).Keys);

    [Fact]
    public void a_founding_in_the_future_is_refused() =>
        Assert.Contains("founded", NetworkRules.ValidateDetails("X", null, null, Today.AddDays(1), Today).Keys);

    [Fact]
    public void empty_or_too_many_topics_are_refused()
    {
        Assert.Contains("topics", NetworkRules.ValidateDetails("X", null, [" "], null, Today).Keys);
        Assert.Contains("topics", NetworkRules.ValidateDetails("X", null, Enumerable.Range(0, 21).Select(i => $"t{i}").ToList(), null, Today).Keys);
    }

    [Fact]
    public void topics_are_trimmed_and_deduplicated_ignoring_case() =>
        Assert.Equal(["it", "KI"], NetworkRules.NormaliseTopics([" it ", "KI", "IT", "ki"]));

    [Fact]
    public void a_dissolved_network_is_neither_changed_nor_dissolved_again()
    {
        Assert.NotNull(NetworkRules.ChangeConflict("tourismus", NetworkStatus.Dissolved));
        Assert.NotNull(NetworkRules.DissolutionConflict("tourismus", NetworkStatus.Dissolved));
        Assert.Null(NetworkRules.ChangeConflict("tourismus", NetworkStatus.Active));
        Assert.Null(NetworkRules.DissolutionConflict("tourismus", NetworkStatus.Active));
    }

    [Fact]
    public void a_dissolution_date_lies_between_the_founding_and_today_and_not_before_an_open_sites_opening()
    {
        var founded = new DateOnly(2012, 1, 1);
        var siteOpened = new DateOnly(2014, 1, 1);
        Assert.Empty(NetworkRules.ValidateDissolution(Today, founded, siteOpened, Today));
        Assert.Contains("dissolvedOn", NetworkRules.ValidateDissolution(Today.AddDays(1), founded, siteOpened, Today).Keys);
        Assert.Contains("dissolvedOn", NetworkRules.ValidateDissolution(new DateOnly(2011, 12, 31), founded, null, Today).Keys);
        Assert.Contains("dissolvedOn", NetworkRules.ValidateDissolution(new DateOnly(2013, 6, 1), founded, siteOpened, Today).Keys);
    }
}
