using EmsAchse.Members.Directory;
using EmsAchse.Members.Memberships;
using EmsAchse.Members.Organizations;
using EmsAchse.Members.Seed;
using EmsAchse.Platform.Hosting;
using Xunit;

namespace EmsAchse.Members.Tests;

/// <summary>The domain rules without a database.</summary>
public sealed class SearchTextTests
{
    [Theory]
    [InlineData("Haselünne", "haseluenne")]
    [InlineData("  Lingen (Ems) ", "lingen ems")]
    [InlineData("Großefehn", "grossefehn")]
    [InlineData("Müller & Söhne GmbH & Co. KG", "mueller soehne gmbh co kg")]
    [InlineData("Café Émile", "cafe emile")]
    [InlineData("Hochschule Emden/Leer", "hochschule emden leer")]
    public void canonical_folds_case_punctuation_and_spells_umlauts_out(string text, string expected) =>
        Assert.Equal(expected, SearchText.Canonical(text));

    [Fact]
    public void the_search_document_holds_every_word_in_both_umlaut_spellings_once() =>
        Assert.Equal("haseluenne holzbau haselunne", SearchText.Document("Haselünne Holzbau", "Holzbau"));

    [Theory]
    [InlineData("Haselünne", "\"haselunne\"* OR \"haseluenne\"*")]
    [InlineData("haselunne", "\"haselunne\"*")]
    [InlineData("HASELUENNE", "\"haseluenne\"*")]
    [InlineData("Lingen-Ems", "\"lingen\"* AND \"ems\"*")]
    public void query_words_become_prefix_terms_with_their_spellings(string query, string expectedFts) =>
        Assert.Equal(expectedFts, SearchText.ToFts5(SearchText.QueryTerms(query)).Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal));

    [Fact]
    public void tsquery_and_match_expressions_carry_only_letters_and_digits_of_the_query()
    {
        var terms = SearchText.QueryTerms("kunst' OR \"x\" & !ü:* ) (");
        Assert.Equal("kunst:* & or:* & x:* & (u:* | ue:*)", SearchText.ToTsQuery(terms));
        Assert.Equal("\"kunst\"* AND \"or\"* AND \"x\"* AND (\"u\"* OR \"ue\"*)", SearchText.ToFts5(terms));
    }

    [Fact]
    public void a_query_without_letters_or_digits_has_no_terms_and_long_queries_are_capped()
    {
        Assert.Empty(SearchText.QueryTerms(" -- ?! "));
        Assert.Equal(SearchText.MaxQueryTerms, SearchText.QueryTerms(string.Join(' ', Enumerable.Range(0, 30).Select(i => $"w{i}"))).Count);
    }
}

public sealed class OrganizationRulesTests
{
    private static OrganizationRequest Valid => new("Emsland Software GmbH", "Company", "EMSLAND", "Lingen (Ems)", null, "https://www.emsland-software.de", ["it", "IT", "services"], "10-49");

    [Fact]
    public void a_valid_organisation_resolves_codes_and_its_region_from_the_district()
    {
        var errors = new Dictionary<string, string[]>();
        var facts = OrganizationRules.Validate(Valid with { District = "leer", Town = "Leer (Ostfriesland)" }, errors);
        Assert.Empty(errors);
        Assert.NotNull(facts);
        Assert.Equal("company", facts.Kind);
        Assert.Equal("leer", facts.District);
        Assert.Equal("ostfriesland", facts.Region);
        Assert.Equal(["it", "services"], facts.Industries);
    }

    [Theory]
    [InlineData("https://www.example.de", true)]
    [InlineData("http://example.de/path?x=1", true)]
    [InlineData("ftp://example.de", false)]
    [InlineData("www.example.de", false)]
    [InlineData("https://localhost", false)]
    [InlineData("https://user:pw@example.de", false)]
    [InlineData("javascript:alert(1)", false)]
    public void a_website_is_an_absolute_http_or_https_url(string url, bool valid) =>
        Assert.Equal(valid, OrganizationRules.IsWebUrl(url));

    [Theory]
    [InlineData("a.b@example.de", true)]
    [InlineData("A <a@example.de>", false)]
    [InlineData("a@localhost", false)]
    [InlineData("no at sign", false)]
    public void an_email_is_a_bare_address(string email, bool valid) =>
        Assert.Equal(valid, OrganizationRules.IsEmail(email));

    [Fact]
    public void every_invalid_field_is_reported_with_the_given_prefix()
    {
        var errors = new Dictionary<string, string[]>();
        var facts = OrganizationRules.Validate(new OrganizationRequest("", "shop", "berlin", "", null, "ftp://x.de", ["banking"], "lots"), errors, "organization.");
        Assert.Null(facts);
        Assert.Equal(
            ["organization.district", "organization.employees", "organization.industries", "organization.kind", "organization.name", "organization.town", "organization.website"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Müller Holzbau GmbH", "Haselünne", "MUELLER  holzbau gmbh", "haseluenne", true)]
    [InlineData("Emsland Software GmbH", "Lingen (Ems)", "Emsland-Software GmbH", "Lingen Ems", true)]
    [InlineData("Emsland Software GmbH", "Lingen (Ems)", "Emsland Software GmbH", "Meppen", false)]
    [InlineData("Emsland Software GmbH", "Lingen (Ems)", "Emsland Software AG", "Lingen (Ems)", false)]
    public void duplicates_are_the_same_folded_name_in_the_same_folded_town(string name, string town, string otherName, string otherTown, bool duplicate)
    {
        var errors = new Dictionary<string, string[]>();
        var a = OrganizationRules.Validate(Valid with { Name = name, Town = town }, errors)!;
        var b = OrganizationRules.Validate(Valid with { Name = otherName, Town = otherTown }, errors)!;
        Assert.Equal(duplicate, a.NameKey == b.NameKey && a.TownKey == b.TownKey);
    }

    [Theory]
    [InlineData("Emsland Software AG", "company", "emsland", true)]
    [InlineData("Emsland Software GmbH", "association", "emsland", true)]
    [InlineData("Emsland Software GmbH", "company", "leer", true)]
    [InlineData("EMSLAND Software GmbH", "company", "emsland", true)]
    [InlineData("Emsland Software GmbH", "company", "emsland", false)]
    public void only_a_new_name_kind_or_district_changes_what_other_services_copy(string name, string kind, string district, bool changes)
    {
        var errors = new Dictionary<string, string[]>();
        var next = OrganizationRules.Validate(Valid with { Town = "Meppen", Website = null, Industries = ["energy"] }, errors)!;
        Assert.Equal(changes, OrganizationRules.ChangesWhatOthersCopy(name, kind, district, next));
    }

    [Fact]
    public void a_contact_needs_a_name_and_a_way_to_reach_them_and_consent_defaults_to_no()
    {
        var errors = new Dictionary<string, string[]>();
        Assert.Null(OrganizationRules.Validate(new ContactRequest("Anna", null, null, null, null), errors));
        Assert.True(errors.ContainsKey("email"));
        errors.Clear();
        var contact = OrganizationRules.Validate(new ContactRequest(" Anna Abeln ", "Anna.Abeln@Example.de", null, null, null), errors);
        Assert.Empty(errors);
        Assert.Equal("anna.abeln@example.de", contact!.Email);
        Assert.False(contact.ConsentToPublish);
    }
}

public sealed class MembershipLifecycleTests
{
    [Theory]
    [InlineData("applied", "active")]
    [InlineData("active", null)]
    [InlineData("ended", null)]
    [InlineData("rejected", null)]
    public void only_an_applied_membership_is_approved(string status, string? expected) =>
        Assert.Equal(expected, MembershipLifecycle.Approve(status).NewStatus);

    [Theory]
    [InlineData("applied", "rejected")]
    [InlineData("active", null)]
    [InlineData("rejected", null)]
    public void only_an_applied_membership_is_rejected(string status, string? expected) =>
        Assert.Equal(expected, MembershipLifecycle.Reject(status).NewStatus);

    [Theory]
    [InlineData("active", "ended")]
    [InlineData("applied", null)]
    [InlineData("ended", null)]
    public void only_an_active_membership_ends(string status, string? expected) =>
        Assert.Equal(expected, MembershipLifecycle.End(status).NewStatus);

    [Fact]
    public void the_last_day_lies_between_the_first_day_and_today()
    {
        var since = new DateOnly(2025, 3, 1);
        var today = new DateOnly(2026, 1, 10);
        Assert.Null(MembershipLifecycle.RefuseEndDate(since, since, today));
        Assert.Null(MembershipLifecycle.RefuseEndDate(since, today, today));
        Assert.NotNull(MembershipLifecycle.RefuseEndDate(since, since.AddDays(-1), today));
        Assert.NotNull(MembershipLifecycle.RefuseEndDate(since, today.AddDays(1), today));
    }

    [Fact]
    public void an_open_membership_blocks_a_second_application_but_ended_and_rejected_ones_do_not()
    {
        var id = Guid.NewGuid();
        Assert.NotNull(MembershipLifecycle.RefuseApplication(["ended", "applied"], id, "it-achse"));
        Assert.NotNull(MembershipLifecycle.RefuseApplication(["active"], id, "it-achse"));
        Assert.Null(MembershipLifecycle.RefuseApplication(["ended", "rejected"], id, "it-achse"));
        Assert.Null(MembershipLifecycle.RefuseApplication([], id, "it-achse"));
    }
}

public sealed class OrganizationGeneratorTests
{
    [Fact]
    public void the_same_seed_makes_the_same_organisations_and_another_seed_others()
    {
        var a = new OrganizationGenerator(42).Generate(500).ToList();
        var b = new OrganizationGenerator(42).Generate(500).ToList();
        var c = new OrganizationGenerator(43).Generate(500).ToList();
        Assert.Equal(a.Select(o => (o.Id, o.Facts.Name, o.Facts.Town)), b.Select(o => (o.Id, o.Facts.Name, o.Facts.Town)));
        Assert.NotEqual(a.Skip(OrganizationGenerator.InstitutionCount).Select(o => o.Facts.Name), c.Skip(OrganizationGenerator.InstitutionCount).Select(o => o.Facts.Name));
    }

    [Fact]
    public void generated_organisations_are_valid_unique_and_cover_the_six_districts_and_the_institutions()
    {
        var all = new OrganizationGenerator(2006).Generate(3000).ToList();
        Assert.Equal(3000, all.Count);
        Assert.Equal(3000, all.Select(o => (o.Facts.NameKey, o.Facts.TownKey)).Distinct().Count());
        Assert.Equal(3000, all.Select(o => o.Id).Distinct().Count());
        Assert.Equal(6, all.Select(o => o.Facts.District).Distinct().Count());
        Assert.Contains(all, o => o.Facts.Name == "Hochschule Emden/Leer");
        Assert.Contains(all, o => o.Facts.Name == "Hochschule Osnabrück Campus Lingen");
        Assert.Contains(all, o => o.Facts.Name == "IHK für Ostfriesland und Papenburg");
        foreach (var o in all.Take(300))
        {
            var errors = new Dictionary<string, string[]>();
            var request = new OrganizationRequest(o.Facts.Name, o.Facts.Kind, o.Facts.District, o.Facts.Town, o.Facts.Address, o.Facts.Website, o.Facts.Industries, o.Facts.Employees);
            var validated = OrganizationRules.Validate(request, errors);
            Assert.NotNull(validated);
            Assert.Equal(o.Facts.Industries, validated.Industries);
            Assert.Equal(o.Facts, validated with { Industries = o.Facts.Industries });
            if (o.Contact is { } contact)
            {
                Assert.NotNull(OrganizationRules.Validate(new ContactRequest(contact.Name, contact.Email, contact.Phone, contact.Role, contact.ConsentToPublish), errors));
            }
            Assert.Empty(errors);
        }
    }

    [Theory]
    [InlineData("Lingen (Ems)", "Lingener")]
    [InlineData("Haselünne", "Haselünner")]
    [InlineData("Bad Bentheim", "Bentheimer")]
    public void town_adjectives_read_as_german(string town, string adjective) =>
        Assert.Equal(adjective, OrganizationGenerator.TownAdjective(town));
}

public sealed class DirectoryIndexRulesTests
{
    [Fact]
    public void a_public_query_is_one_match_of_its_words_and_its_filters_as_tokens()
    {
        var filter = new DirectoryFilter(SearchText.QueryTerms("Haselünne gmbh"), Network: "it-achse", Region: "emsland", Industry: "wood", Kind: "company");
        Assert.Equal("(\"haselunne\"* OR \"haseluenne\"*) AND \"gmbh\"* AND \"_n_it-achse\" AND \"_r_emsland\" AND \"_i_wood\" AND \"_k_company\"", DirectoryIndex.Match(filter));
        Assert.Equal("\"_all\"", DirectoryIndex.Match(new DirectoryFilter([])));
        Assert.Equal("\"_d_leer\" AND \"_i_it\"", DirectoryIndex.Match(new DirectoryFilter([], District: "leer", Industry: "it")));
    }

    [Fact]
    public void staff_searches_lone_column_filters_and_odd_network_slugs_take_the_general_sql()
    {
        Assert.Null(DirectoryIndex.Match(new DirectoryFilter(SearchText.QueryTerms("gmbh"), Audience: new DirectoryAudience(true, []))));
        Assert.Null(DirectoryIndex.Match(new DirectoryFilter(SearchText.QueryTerms("gmbh"), Audience: new DirectoryAudience(false, ["it-achse"]))));
        Assert.NotNull(DirectoryIndex.Match(new DirectoryFilter(SearchText.QueryTerms("gmbh"), Audience: DirectoryAudience.Public)));
        Assert.Null(DirectoryIndex.Match(new DirectoryFilter([], District: "leer")));
        Assert.Null(DirectoryIndex.Match(new DirectoryFilter([], Region: "ostfriesland", Kind: "company")));
        // A slug with a quote or a space would break out of the MATCH expression.
        Assert.Null(DirectoryIndex.Match(new DirectoryFilter([], Network: "it\"achse")));
        Assert.Null(DirectoryIndex.Match(new DirectoryFilter([], Network: "it achse")));
        Assert.Null(DirectoryIndex.Match(new DirectoryFilter([], Network: "")));
    }

    [Fact]
    public void on_postgres_a_public_query_is_its_words_and_its_tokens_as_two_tsqueries_and_no_filter_at_all_goes_the_general_way()
    {
        var (sql, args) = DirectoryIndex.PostgresBatch(new DirectoryFilter(SearchText.QueryTerms("Haselünne"), Network: "it-achse", Industry: "wood"), new PageRequest(3, 20))!.Value;
        Assert.Contains("d.terms @@ (to_tsquery('simple', @match) && @tokens::tsquery)", sql, StringComparison.Ordinal);
        Assert.Equal("(haselunne:* | haseluenne:*)", args.Get<string>("match"));
        Assert.Equal("'_n_it-achse' & '_i_wood'", args.Get<string>("tokens"));
        Assert.Equal(40, args.Get<int>("skip"));

        var (wordsOnly, wordArgs) = DirectoryIndex.PostgresBatch(new DirectoryFilter(SearchText.QueryTerms("gmbh")), new PageRequest(1, 20))!.Value;
        Assert.Contains("d.terms @@ (to_tsquery('simple', @match))", wordsOnly, StringComparison.Ordinal);
        Assert.DoesNotContain("tokens", wordArgs.ParameterNames);

        Assert.Null(DirectoryIndex.PostgresBatch(new DirectoryFilter([]), new PageRequest(1, 20)));
        Assert.Null(DirectoryIndex.PostgresBatch(new DirectoryFilter([], District: "leer"), new PageRequest(1, 20)));
        Assert.Null(DirectoryIndex.PostgresBatch(new DirectoryFilter([], Network: "it'achse"), new PageRequest(1, 20)));
        Assert.NotNull(DirectoryIndex.PostgresBatch(new DirectoryFilter([], District: "leer", Industry: "it"), new PageRequest(1, 20)));
    }

    [Theory]
    [InlineData(999, 20, false)]      // few hits: sorting them is cheap
    [InlineData(1_000, 20, true)]
    [InlineData(7_426, 20, true)]     // many hits, an early page: the walk stops after a few hundred rows
    [InlineData(7_426, 3_713, true)]
    [InlineData(7_426, 3_714, false)] // past half the hits the walk covers most of the listed rows
    [InlineData(2_000, 1_020, false)]
    public void a_page_walks_the_name_order_for_many_hits_and_early_pages(long hits, long pageEnd, bool walks) =>
        Assert.Equal(walks, DirectoryIndex.WalksNameOrder(hits, pageEnd));
}
