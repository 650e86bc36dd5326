using EmsAchse.Networks.Sites;
using Xunit;

namespace EmsAchse.Networks.Tests.Rules;

public sealed class SiteRulesTests
{
    private static readonly DateOnly Today = new(2025, 6, 15);

    [Theory]
    [InlineData("Lingen (Ems)")]
    [InlineData("Leer (Ostfriesland)")]
    [InlineData("Bad Bentheim")]
    [InlineData("Emden")]
    [InlineData("Rhede/Ems")]
    [InlineData("St. Georgen")]
    public void real_place_names_are_plausible_towns(string town) =>
        Assert.True(TownName.IsPlausible(town));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("L")]
    [InlineData("49809")]
    [InlineData("<script>")]
    [InlineData("Lingen  Ems")]
    [InlineData("Lingen\nEms")]
    [InlineData("-Lingen")]
    public void empty_numeric_or_odd_texts_are_not_towns(string? town) =>
        Assert.False(TownName.IsPlausible(town));

    [Fact]
    public void a_site_needs_a_name_a_town_and_a_district_of_the_alliance()
    {
        Assert.Empty(SiteRules.Validate("Lingen", "Lingen (Ems)", "EMSLAND"));
        var errors = SiteRules.Validate(" ", "1", "berlin", new string('x', 201));
        Assert.Equal(["address", "district", "name", "town"], errors.Keys.Order());
    }

    [Fact]
    public void a_closed_site_is_neither_changed_nor_closed_again()
    {
        Assert.NotNull(SiteRules.ChangeConflict("Leer", SiteStatus.Closed));
        Assert.NotNull(SiteRules.CloseConflict("Leer", SiteStatus.Closed, Today));
        Assert.Null(SiteRules.ChangeConflict("Leer", SiteStatus.Open));
        Assert.Null(SiteRules.CloseConflict("Leer", SiteStatus.Open, null));
    }

    [Fact]
    public void a_site_closes_between_its_opening_and_today()
    {
        var opened = new DateOnly(2014, 1, 1);
        Assert.Empty(SiteRules.ValidateClosing(opened, opened, Today));
        Assert.Empty(SiteRules.ValidateClosing(opened, Today, Today));
        Assert.Contains("closed", SiteRules.ValidateClosing(opened, opened.AddDays(-1), Today).Keys);
        Assert.Contains("closed", SiteRules.ValidateClosing(opened, Today.AddDays(1), Today).Keys);
    }
}
