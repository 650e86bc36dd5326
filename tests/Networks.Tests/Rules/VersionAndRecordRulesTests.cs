using EmsAchse.Networks.Managers;
using EmsAchse.Networks.Umbrella;
using Xunit;

namespace EmsAchse.Networks.Tests.Rules;

public sealed class AggregateVersionTests
{
    [Fact]
    public void the_next_change_carries_the_next_version() =>
        Assert.Equal(2, AggregateVersion.Next(1));
}

public sealed class ManagerRulesTests
{
    [Fact]
    public void a_manager_needs_a_name_and_an_email_and_may_have_a_phone()
    {
        Assert.Empty(ManagerRules.Validate("Anna Beispiel", "anna@it-achse.de", "+49 (591) 12-34/56"));
        Assert.Empty(ManagerRules.Validate("Anna Beispiel", "anna@it-achse.de", null));
        Assert.Equal(["email", "name", "phone"], ManagerRules.Validate("", "anna", "12").Keys.Order());
        Assert.Contains("email", ManagerRules.Validate("A", "a@b", null).Keys);
        Assert.Contains("phone", ManagerRules.Validate("A", "a@b.de", "call me").Keys);
    }
}

public sealed class UmbrellaRulesTests
{
    private static UpdateUmbrellaRequest Valid() => new(
        "Wachstumsregion Ems-Achse e.V.", "Ems-Achse", "e.V.", 2006, "Mission",
        new UmbrellaOffice("Hauptkanal links 60", "26871", "Papenburg"),
        ["emsland", "leer"], 700, 120000, 2021, ["Kompetenznetzwerke"], "https://www.emsachse.de");

    [Fact]
    public void the_ems_achse_facts_are_valid() =>
        Assert.Empty(UmbrellaRules.Validate(Valid(), 2025));

    [Fact]
    public void unknown_districts_odd_postal_codes_future_years_and_negative_figures_are_refused()
    {
        var errors = UmbrellaRules.Validate(
            Valid() with { Districts = ["emsland", "berlin"], Office = new UmbrellaOffice("Hauptkanal links 60", "2687", "Papenburg"), Founded = 2030, Employees = -1, Website = "ftp://x" },
            2025);
        Assert.Equal(["districts", "employees", "founded", "office.postalCode", "website"], errors.Keys.Order());
    }

    [Fact]
    public void no_districts_is_refused() =>
        Assert.Contains("districts", UmbrellaRules.Validate(Valid() with { Districts = [] }, 2025).Keys);
}
