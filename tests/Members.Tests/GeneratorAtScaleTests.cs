using EmsAchse.Members.Organizations;
using EmsAchse.Members.Seed;
using EmsAchse.Platform.Reference;
using Xunit;

namespace EmsAchse.Members.Tests;

/// <summary>
/// The demo and benchmark data (deploy/run.sh with EMSACHSE_DEMO_ORGANIZATIONS=100000, tests/Benchmarks) come
/// from this generator: the same seed number must give the same 100,000 organisations, each one the API would accept.
/// </summary>
public sealed class GeneratorAtScaleTests
{
    private const int Many = 100_000;

    [Fact]
    public void the_same_seed_gives_the_same_100000_organisations_and_another_seed_others()
    {
        var first = new OrganizationGenerator(2006).Generate(Many).ToList();
        var second = new OrganizationGenerator(2006).Generate(Many).ToList();
        Assert.Equal(Many, first.Count);
        Assert.Equal(first.Select(Fingerprint), second.Select(Fingerprint));

        var other = new OrganizationGenerator(2007).Generate(1000).Select(o => o.Id).ToHashSet();
        Assert.DoesNotContain(first.Take(1000).Skip(OrganizationGenerator.InstitutionCount), o => other.Contains(o.Id));
    }

    [Fact]
    public void a_smaller_count_is_the_start_of_a_larger_one()
    {
        var small = new OrganizationGenerator(2006).Generate(350).Select(o => o.Id);
        var large = new OrganizationGenerator(2006).Generate(5000).Take(350).Select(o => o.Id);
        Assert.Equal(small, large);
    }

    [Fact]
    public void every_generated_organisation_and_contact_passes_the_api_validation_and_none_repeats()
    {
        var generated = new OrganizationGenerator(2006).Generate(Many).ToList();
        Assert.Equal(Many, generated.Select(o => o.Id).Distinct().Count());
        Assert.Equal(Many, generated.Select(o => (o.Facts.NameKey, o.Facts.TownKey)).Distinct().Count());
        foreach (var o in generated)
        {
            var errors = new Dictionary<string, string[]>();
            var facts = OrganizationRules.Validate(
                new OrganizationRequest(o.Facts.Name, o.Facts.Kind, o.Facts.District, o.Facts.Town, o.Facts.Address, o.Facts.Website, o.Facts.Industries, o.Facts.Employees), errors);
            Assert.True(facts is not null, $"{o.Facts.Name}: {string.Join("; ", errors.SelectMany(e => e.Value))}");
            Assert.Equal(o.Facts.Region, facts.Region);
            if (o.Contact is { } contact)
            {
                Assert.NotNull(OrganizationRules.Validate(new ContactRequest(contact.Name, contact.Email, contact.Phone, contact.Role, contact.ConsentToPublish), errors));
                Assert.Empty(errors);
            }
            Assert.Equal(o.Networks.Count, o.Networks.Distinct().Count());
        }
        // Spread as the seed text describes: all six districts, the region's industries, members in most networks.
        Assert.Equal(Districts.All.Count, generated.Select(o => o.Facts.District).Distinct().Count());
        Assert.True(generated.SelectMany(o => o.Facts.Industries).Distinct().Count() >= 15);
        Assert.InRange(generated.Count(o => o.Networks.Count > 0), Many / 5, Many * 4 / 5);
        Assert.True(generated.SelectMany(o => o.Networks).Distinct().Count() >= 6);
    }

    private static string Fingerprint(GeneratedOrganization o) =>
        $"{o.Id}|{o.Facts.Name}|{o.Facts.Town}|{o.Facts.Address}|{string.Join(',', o.Facts.Industries)}|{o.Facts.Employees}|{o.Contact}|{string.Join(',', o.Networks)}";
}
