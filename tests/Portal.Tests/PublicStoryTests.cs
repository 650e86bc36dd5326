using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using EmsAchse.TestSupport;
using Microsoft.Playwright;
using Xunit;

namespace EmsAchse.Portal.Tests;

/// <summary>What a visitor does in the browser, through the gateway, against the real platform.</summary>
[Collection(PortalPlatformCollection.Name)]
public sealed class PublicStoryTests(PortalPlatform platform)
{
    [Fact]
    public async Task a_visitor_finds_it_achse_fully_funded_finds_haselunne_and_applies_and_an_admin_sees_the_application()
    {
        var page = await platform.NewPageAsync();

        await page.GotoAsync("/");
        Assert.Equal("de", await page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Wachstumsregion Ems-Achse e.V.");
        var facts = await page.Locator("dl.facts").InnerTextAsync();
        Assert.Contains("2006", facts, StringComparison.Ordinal);
        Assert.Contains("Hauptkanal links 60, 26871 Papenburg", facts, StringComparison.Ordinal);
        Assert.Contains("120.000", facts, StringComparison.Ordinal);
        // One marker per open site: the demo's ten, plus those other tests of this collection opened before.
        using (var anonymous = platform.Api())
        {
            var networks = await anonymous.GetFromJsonAsync<JsonElement>(new Uri("/api/networks?pageSize=200", UriKind.Relative));
            var openSites = networks.GetProperty("items").EnumerateArray()
                .SelectMany(n => n.GetProperty("sites").EnumerateArray())
                .Count(s => s.GetProperty("status").GetString() != "closed");
            Assert.True(openSites >= 10, $"the demo seed has ten open sites, the API lists {openSites}");
            Assert.Equal(openSites, await page.Locator("svg .site-marker").CountAsync());
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "IT-Achse", Exact = true }).First.ClickAsync();
        await page.WaitForURLAsync("**/netzwerke/it-achse");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("IT-Achse");
        // Funding learns of the sites from the networks service's events: reload until its coverage is there.
        await PortalPlatform.ReloadUntilAsync(page, async () =>
            (await page.Locator("li.site[data-site='Lingen']").InnerTextAsync()).Contains("100\u00a0% – vollständig finanziert", StringComparison.Ordinal)
            && (await page.Locator("li.site[data-site='Leer']").InnerTextAsync()).Contains("100\u00a0% – vollständig finanziert", StringComparison.Ordinal));
        var lingen = await page.Locator("li.site[data-site='Lingen']").InnerTextAsync();
        Assert.Contains("Landkreis Emsland: 50\u00a0%", lingen, StringComparison.Ordinal);
        Assert.Contains("Stadt Lingen (Ems): 50\u00a0%", lingen, StringComparison.Ordinal);

        await page.GotoAsync("/mitglieder?q=haselunne");
        await Assertions.Expect(page.Locator("#q")).ToHaveValueAsync("haselunne");
        Assert.Matches("^[0-9.]+ Organisation(en)? gefunden\\.$", await page.Locator(".result-count").InnerTextAsync());
        var first = page.Locator("ul.members > li").First;
        Assert.Contains("Haselünne", await first.InnerTextAsync(), StringComparison.Ordinal);
        var name = await first.Locator("a").InnerTextAsync();
        await first.Locator("a").ClickAsync();
        await page.WaitForURLAsync("**/mitglieder/*");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(name);
        Assert.Contains("Haselünne", await page.Locator("dl.facts").InnerTextAsync(), StringComparison.Ordinal);

        var organization = $"Emsdaten Test GmbH {Guid.NewGuid():N}"[..32];
        await page.GotoAsync("/mitglied-werden?netzwerk=it-achse");
        await Assertions.Expect(page.Locator("#network")).ToHaveValueAsync("it-achse");
        await page.Locator("#name").FillAsync(organization);
        await page.Locator("#kind").SelectOptionAsync("company");
        await page.Locator("#district").SelectOptionAsync("emsland");
        await page.Locator("#town").FillAsync("Haselünne");
        await page.Locator("#industry").SelectOptionAsync("it");
        await page.Locator("#contact-name").FillAsync("Frauke Testfrau");
        await page.Locator("#contact-email").FillAsync("frauke@example.de");
        await page.Locator("#consent").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Antrag absenden" }).ClickAsync();

        await page.WaitForURLAsync("**/mitglied-werden/bestaetigung?*");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Vielen Dank für Ihren Antrag");
        Assert.Contains("bei IT-Achse", await page.Locator(".lead").InnerTextAsync(), StringComparison.Ordinal);
        var id = Guid.Parse(await page.Locator(".application-id").InnerTextAsync());

        using var admin = platform.Api("admin");
        var application = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/members/applications/{id}", UriKind.Relative));
        Assert.Equal(organization, application.GetProperty("organizationName").GetString());
        Assert.Equal("it-achse", application.GetProperty("network").GetString());
        Assert.Equal("applied", application.GetProperty("status").GetString());
    }

    [Fact]
    public async Task missing_fields_get_german_errors_next_to_them_and_no_application_is_filed()
    {
        var page = await platform.NewPageAsync(360);
        var organization = $"Unvollständig {Guid.NewGuid():N}"[..30];

        await page.GotoAsync("/mitglied-werden?netzwerk=it-achse");
        await page.Locator("#name").FillAsync(organization);
        await page.Locator("#consent").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Antrag absenden" }).ClickAsync();

        await Assertions.Expect(page.Locator("#kind-error")).ToHaveTextAsync("Bitte wählen Sie die Art der Organisation aus der Liste.");
        await Assertions.Expect(page.Locator("#district-error")).ToContainTextAsync("Landkreis");
        await Assertions.Expect(page.Locator("#town-error")).ToHaveTextAsync("Bitte geben Sie den Ort an.");
        await Assertions.Expect(page.Locator("#contact-name-error")).ToContainTextAsync("Namen der Ansprechperson");
        await Assertions.Expect(page.Locator("#contact-email-error")).ToContainTextAsync("E-Mail-Adresse oder eine Telefonnummer");
        await Assertions.Expect(page.Locator("#town")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#town")).ToHaveAttributeAsync("aria-describedby", "town-error");
        await Assertions.Expect(page.Locator("#name-error")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#name")).ToHaveValueAsync(organization);
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("Bitte prüfen Sie Ihre Angaben");
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(platform.Address, "/mitglied-werden?netzwerk=it-achse").ToString());
        await AssertNoApplicationAsync(organization);
    }

    [Fact]
    public async Task without_consent_nothing_is_sent()
    {
        var page = await platform.NewPageAsync();
        var withoutConsent = $"Ohne Zustimmung {Guid.NewGuid():N}"[..30];

        await PortalPlatform.FillApplicationAsync(page, withoutConsent);
        await page.GetByRole(AriaRole.Button, new() { Name = "Antrag absenden" }).ClickAsync();
        await Assertions.Expect(page.Locator("#consent-error")).ToContainTextAsync("Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu");

        await AssertNoApplicationAsync(withoutConsent);
    }

    [Fact]
    public async Task with_the_honeypot_filled_the_visitor_sees_the_confirmation_and_nothing_is_sent()
    {
        // A page of its own: after an enhanced form post on the same page the second post now and then never left
        // the browser on a busy machine.
        var page = await platform.NewPageAsync();
        var bot = $"Roboter {Guid.NewGuid():N}"[..30];

        await PortalPlatform.FillApplicationAsync(page, bot);
        await page.Locator("#consent").CheckAsync();
        // A person never sees this field; a program that fills every input does.
        await page.Locator("#homepage").EvaluateAsync("e => e.value = 'https://spam.example'");
        await page.GetByRole(AriaRole.Button, new() { Name = "Antrag absenden" }).ClickAsync();
        await page.WaitForURLAsync("**/mitglied-werden/bestaetigung");
        await Assertions.Expect(page.Locator(".application-id")).ToHaveCountAsync(0);

        await AssertNoApplicationAsync(bot);
    }

    [Fact]
    public async Task every_page_passes_axe_fits_360_pixels_and_is_photographed()
    {
        using var anonymous = platform.Api();
        var found = await anonymous.GetFromJsonAsync<JsonElement>(new Uri("/api/members/organizations?q=haselunne&pageSize=1", UriKind.Relative));
        var profile = found.GetProperty("items")[0].GetProperty("id").GetString();
        var pages = new (string Name, string Path)[]
        {
            ("start", "/"),
            ("netzwerke", "/netzwerke"),
            ("netzwerk-it-achse", "/netzwerke/it-achse"),
            ("mitglieder", "/mitglieder"),
            ("mitglieder-suche", "/mitglieder?q=haselunne&kreis=emsland"),
            ("mitglied-profil", $"/mitglieder/{profile}"),
            ("mitglied-werden", "/mitglied-werden?netzwerk=it-achse"),
            ("antrag-bestaetigung", "/mitglied-werden/bestaetigung?netzwerk=it-achse"),
            ("impressum", "/impressum"),
            ("datenschutz", "/datenschutz"),
            ("nicht-gefunden", "/gibt-es-nicht"),
        };
        var problems = new List<string>();
        foreach (var width in new[] { 1280, 360 })
        {
            var page = await platform.NewPageAsync(width);
            foreach (var (name, path) in pages)
            {
                await page.GotoAsync(path);
                var title = await page.TitleAsync();
                if (string.IsNullOrWhiteSpace(title) || !title.Contains("Ems-Achse", StringComparison.Ordinal))
                {
                    problems.Add($"{path}: title '{title}'");
                }
                if (await page.Locator("html").GetAttributeAsync("lang") != "de")
                {
                    problems.Add($"{path}: not lang=de");
                }
                problems.AddRange(await PortalPlatform.ProblemsAsync(page, name, width));
            }
        }

        Assert.Empty(problems);
        Assert.Equal(pages.Length * 2, Directory.GetFiles(PortalPlatform.Screenshots, "*.png").Select(Path.GetFileName).Intersect(pages.SelectMany(p => new[] { $"{p.Name}-1280.png", $"{p.Name}-360.png" })).Count());
    }

    private async Task AssertNoApplicationAsync(string organization)
    {
        using var admin = platform.Api("admin");
        var applied = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/members/applications?network=it-achse&status=applied&pageSize=200", UriKind.Relative));
        Assert.DoesNotContain(applied.GetProperty("items").EnumerateArray(), a => a.GetProperty("organizationName").GetString() == organization);
        var search = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/members/organizations?q={Uri.EscapeDataString(organization)}", UriKind.Relative));
        Assert.Equal(0, search.GetProperty("total").GetInt64());
    }
}

/// <summary>What the portal answers besides pages: cache headers, 404s, notices and error pages.</summary>
[Collection(PortalPlatformCollection.Name)]
public sealed class PortalHttpTests(PortalPlatform platform)
{
    [Fact]
    public async Task public_pages_are_cached_briefly_with_an_etag_and_pages_with_forms_not_at_all()
    {
        using var http = platform.Api();

        using var list = await http.GetAsync(new Uri("/netzwerke", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.True(list.Headers.CacheControl is { Public: true, MaxAge.TotalSeconds: > 0 and <= 300 }, list.Headers.CacheControl?.ToString());
        Assert.Contains("Cookie", list.Headers.Vary);
        var etag = list.Headers.ETag ?? throw new Xunit.Sdk.XunitException("no ETag");
        Assert.StartsWith("default-src 'self'", list.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        using var again = new HttpRequestMessage(HttpMethod.Get, new Uri("/netzwerke", UriKind.Relative));
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var form = await http.GetAsync(new Uri("/mitglied-werden", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.True(form.Headers.CacheControl?.NoStore, form.Headers.CacheControl?.ToString());
        Assert.Null(form.Headers.ETag);
    }

    [Fact]
    public async Task an_unknown_page_is_a_german_404_and_an_unknown_api_path_stays_problem_json()
    {
        using var http = platform.Api();

        using var page = await http.GetAsync(new Uri("/netzwerke/gibt-es-nicht", UriKind.Relative));
        using var path = await http.GetAsync(new Uri("/gibt/es/nicht", UriKind.Relative));
        using var api = await http.GetAsync(new Uri("/api/gibt-es-nicht", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("Seite nicht gefunden", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, path.StatusCode);
        Assert.Contains("<html lang=\"de\"", await path.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task an_unreachable_platform_is_a_german_notice_in_place_of_its_part_and_never_cached()
    {
        using var http = new HttpClient { BaseAddress = platform.BrokenPortal.Address };

        using var home = await http.GetAsync(new Uri("/", UriKind.Relative));
        var body = await home.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("Die Liste der Netzwerke ist gerade nicht erreichbar.", body, StringComparison.Ordinal);
        Assert.Contains("<h1>Wachstumsregion Ems-Achse e.V.</h1>", body, StringComparison.Ordinal);
        Assert.True(home.Headers.CacheControl?.NoStore, home.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task a_failing_page_is_a_german_error_page_without_a_stack_trace()
    {
        using var http = new HttpClient { BaseAddress = platform.BrokenPortal.Address };

        using var response = await http.GetAsync(new Uri("/impressum", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("Ein Fehler ist aufgetreten", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_portals_readiness_is_its_own_state_not_the_gateways()
    {
        using var broken = new HttpClient { BaseAddress = platform.BrokenPortal.Address };
        using var working = new HttpClient { BaseAddress = platform.Portal.Address };

        // The broken portal's gateway is gone, yet only its missing legal texts make it unready.
        var unready = await broken.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var ready = await working.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
        Assert.Contains("legal-texts", await unready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
