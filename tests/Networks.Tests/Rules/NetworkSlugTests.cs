using EmsAchse.Networks.Networks;
using Xunit;

namespace EmsAchse.Networks.Tests.Rules;

public sealed class NetworkSlugTests
{
    [Theory]
    [InlineData("it-achse")]
    [InlineData("mema")]
    [InlineData("a1")]
    [InlineData("energie-achse-ems")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghij")]
    public void lower_case_letters_digits_and_hyphens_of_2_to_40_characters_are_a_slug(string slug) =>
        Assert.Null(NetworkSlug.Problem(slug));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("IT-Achse")]
    [InlineData("it achse")]
    [InlineData("it_achse")]
    [InlineData("-it")]
    [InlineData("it-")]
    [InlineData("1it")]
    [InlineData("müritz")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijx")]
    public void anything_else_is_refused(string? slug) =>
        Assert.NotNull(NetworkSlug.Problem(slug));

    [Theory]
    [InlineData("umbrella")]
    [InlineData("sites")]
    [InlineData("members")]
    [InlineData("admin")]
    public void words_that_are_routes_are_reserved(string slug) =>
        Assert.Contains("reserved", NetworkSlug.Problem(slug), StringComparison.Ordinal);
}
