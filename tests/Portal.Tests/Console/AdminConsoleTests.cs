using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using EmsAchse.TestSupport;
using Microsoft.Playwright;
using Xunit;

namespace EmsAchse.Portal.Tests.Console;

/// <summary>The office's console in the browser: commitments up to 100 %, a refused over-commitment, a refused erasure, reports.</summary>
[Collection(PortalPlatformCollection.Name)]
public sealed class AdminConsoleTests(PortalPlatform platform)
{
    private static int Year => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).Year;

    [Fact]
    public async Task an_admin_commits_a_new_site_to_full_coverage_and_a_further_commitment_is_refused_with_the_figures()
    {
        var site = await OpenSiteAsync($"Testort {Guid.NewGuid():N}"[..17]);
        var page = await platform.NewPageAsync();
        var (email, password) = await platform.InitialAdminAsync();
        await platform.SignInAsync(page, email, password, "/verwaltung/admin/finanzierung");

        await page.GetByRole(AriaRole.Link, new() { Name = $"Zusagen für IT-Achse, {site.Name}" }).ClickAsync();
        await page.WaitForURLAsync($"**/verwaltung/admin/netzwerke/it-achse/standorte/{site.Id}/zusagen");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"Zusagen für den Standort {site.Name}");
        await Assertions.Expect(page.Locator("figure.coverage-chart figcaption")).ToHaveTextAsync($"Finanzierung des Standorts {site.Name} {Year}: das ganze Jahr 0\u00a0%.");

        await CommitAsync(page, "Landkreis Emsland", "60");
        await Assertions.Expect(page.Locator(".confirmation")).ToContainTextAsync("Die Zusage von Landkreis Emsland über 60\u00a0%");
        await CommitAsync(page, "Stadt Lingen (Ems)", "40");
        await Assertions.Expect(page.Locator(".confirmation")).ToContainTextAsync("Der Standort ist heute zu 100\u00a0% finanziert.");
        // The chart: one line at the top from the first to the last day of the year.
        await Assertions.Expect(page.Locator("figure.coverage-chart figcaption")).ToHaveTextAsync($"Finanzierung des Standorts {site.Name} {Year}: das ganze Jahr 100\u00a0%.");
        await Assertions.Expect(page.Locator("figure.coverage-chart path.coverage-line")).ToHaveAttributeAsync("d", "M46 10 H392");
        await Assertions.Expect(page.Locator("table.commitments tbody tr")).ToHaveCountAsync(2);
        await PortalPlatform.CheckAsync(page, "konsole-zusagen");

        await CommitAsync(page, "Landkreis Leer", "10");
        var refusal = page.Locator(".error-summary");
        await Assertions.Expect(refusal).ToContainTextAsync($"Der Standort {site.Name} wäre am 01.01.{Year} zu 110\u00a0% finanziert");
        await Assertions.Expect(refusal).ToContainTextAsync("An diesem Tag sind bereits 100\u00a0% zugesagt, frei sind noch 0\u00a0%.");
        await Assertions.Expect(refusal).ToContainTextAsync("Landkreis Emsland mit 60\u00a0%");
        await Assertions.Expect(refusal).ToContainTextAsync("Stadt Lingen (Ems) mit 40\u00a0%");
        await Assertions.Expect(page.Locator("table.commitments tbody tr")).ToHaveCountAsync(2);
        await PortalPlatform.CheckAsync(page, "konsole-zusage-abgelehnt");

        using var api = platform.Api("admin");
        var commitments = await api.GetFromJsonAsync<JsonElement>(new Uri($"/api/funding/commitments?siteId={site.Id}", UriKind.Relative));
        Assert.Equal(2, commitments.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task erasing_needs_the_organisations_exact_name_and_a_wrong_one_erases_nothing()
    {
        using var api = platform.Api("admin");
        var name = $"Löschprobe GmbH {Guid.NewGuid():N}"[..24];
        var application = await api.PostAsJsonAsync(new Uri("/api/members/applications", UriKind.Relative), new
        {
            network = "it-achse",
            organization = new { name, kind = "company", district = "emsland", town = "Lingen (Ems)", industries = new[] { "it" } },
            contact = new { name = "Gesa Probe", email = "gesa@example.de", consentToPublish = false },
        });
        application.EnsureSuccessStatusCode();
        var organizationId = (await application.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("organizationId").GetGuid();

        var page = await platform.NewPageAsync(360);
        var (email, password) = await platform.InitialAdminAsync();
        await platform.SignInAsync(page, email, password, "/verwaltung/admin/datenschutz");
        await page.Locator("#q").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Suchen" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await page.WaitForURLAsync($"**/verwaltung/admin/datenschutz/{organizationId}");
        await Assertions.Expect(page.Locator("dl.facts")).ToContainTextAsync("1 Person");
        // The page's download link: the portal fetches members' export with the admin's token.
        var download = await page.APIRequest.GetAsync($"/verwaltung/admin/datenschutz/{organizationId}/export");
        Assert.Equal(200, download.Status);
        Assert.Contains($"datenauskunft-{organizationId:D}.json", download.Headers["content-disposition"], StringComparison.Ordinal);
        Assert.Contains("gesa@example.de", await download.TextAsync(), StringComparison.Ordinal);

        await page.Locator("#confirm-name").FillAsync(name.ToUpperInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Personenbezogene Daten löschen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync($"Der eingegebene Name stimmt nicht mit „{name}“ überein. Es wurde nichts gelöscht.");
        await PortalPlatform.CheckAsync(page, "konsole-loeschung-abgelehnt", widths: [360]);

        var contacts = await api.GetFromJsonAsync<JsonElement>(new Uri($"/api/members/organizations/{organizationId}/contacts", UriKind.Relative));
        Assert.Equal(1, contacts.ValueKind == JsonValueKind.Array ? contacts.GetArrayLength() : contacts.GetProperty("items").GetArrayLength());
        var export = await api.GetAsync(new Uri($"/api/members/organizations/{organizationId}/export", UriKind.Relative));
        Assert.Contains("gesa@example.de", await export.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await page.Locator("#confirm-name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Personenbezogene Daten löschen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".confirmation")).ToContainTextAsync($"Die personenbezogenen Daten von {name} wurden am");
        await Assertions.Expect(page.Locator(".confirmation")).ToContainTextAsync("1 Ansprechperson");
        var after = await api.GetAsync(new Uri($"/api/members/organizations/{organizationId}/export", UriKind.Relative));
        Assert.DoesNotContain("gesa@example.de", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_network_manager_reads_their_report_with_charts_and_csv_but_gets_the_403_page_for_another_networks_report()
    {
        var page = await platform.NewPageAsync();
        await platform.SignInAsync(page, PortalPlatform.DemoManager("it-achse"), PortalPlatform.DemoPassword, "/verwaltung/netzwerke/it-achse/finanzbericht");

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"Finanzbericht IT-Achse {Year}");
        await Assertions.Expect(page.Locator("section.report-site[data-site='Lingen'] figure.coverage-chart figcaption")).ToHaveTextAsync($"Finanzierung des Standorts Lingen {Year}: das ganze Jahr 100\u00a0%.");
        await Assertions.Expect(page.Locator("section.report-site[data-site='Lingen'] table.data")).ToContainTextAsync("Landkreis Emsland");
        await PortalPlatform.CheckAsync(page, "konsole-finanzbericht");

        var csv = await page.APIRequest.GetAsync($"/verwaltung/netzwerke/it-achse/finanzbericht.csv?jahr={Year}");
        Assert.Equal(200, csv.Status);
        Assert.StartsWith("text/csv", csv.Headers["content-type"], StringComparison.Ordinal);
        Assert.StartsWith("network,year,line,", await csv.TextAsync(), StringComparison.Ordinal);

        var fees = await page.GotoAsync("/verwaltung/netzwerke/it-achse/beitraege");
        Assert.Equal(200, fees!.Status);
        await Assertions.Expect(page.Locator("#fee-company")).ToHaveValueAsync("600,00");
        await PortalPlatform.CheckAsync(page, "konsole-beitraege");

        var refused = await page.GotoAsync("/verwaltung/netzwerke/mema/finanzbericht");
        Assert.Equal((int)HttpStatusCode.Forbidden, refused!.Status);
        Assert.EndsWith("/verwaltung/kein-zugriff", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("Meppen");
        var refusedCsv = await page.APIRequest.GetAsync("/verwaltung/netzwerke/mema/finanzbericht.csv", new() { MaxRedirects = 0 });
        Assert.NotEqual(200, refusedCsv.Status);
        var refusedExport = await page.APIRequest.GetAsync($"/verwaltung/admin/datenschutz/{Guid.NewGuid()}/export", new() { MaxRedirects = 0 });
        Assert.Equal((int)HttpStatusCode.Redirect, refusedExport.Status);
        Assert.Equal("/verwaltung/kein-zugriff", new Uri(new Uri(page.Url), refusedExport.Headers["location"]).AbsolutePath);
        var admin = await page.GotoAsync("/verwaltung/admin/geldgeber");
        Assert.Equal((int)HttpStatusCode.Forbidden, admin!.Status);
    }

    [Fact]
    public async Task every_admin_page_passes_axe_at_1280_and_360_pixels_and_is_photographed()
    {
        var page = await platform.NewPageAsync();
        var (email, password) = await platform.InitialAdminAsync();
        await platform.SignInAsync(page, email, password, "/verwaltung/admin/finanzierung");
        var lingen = (await page.Locator("li.site[data-site='Lingen'] a").First.GetAttributeAsync("href"))!;
        var pages = new (string Path, string Name)[]
        {
            ("/verwaltung/admin/finanzierung", "konsole-finanzierung"),
            (lingen, "konsole-zusagen-lingen"),
            (lingen.Replace("/zusagen", "/budgets", StringComparison.Ordinal), "konsole-budgets"),
            ("/verwaltung/admin/geldgeber", "konsole-geldgeber"),
            ("/verwaltung/admin/dachverband", "konsole-dachverband"),
            ("/verwaltung/admin/netzwerke", "konsole-netzwerke"),
            ("/verwaltung/admin/netzwerke/it-achse", "konsole-netzwerk"),
            ("/verwaltung/admin/datenschutz?q=lingen", "konsole-datenschutz"),
            ("/verwaltung/netzwerke/logistikachse-ems/finanzbericht", "konsole-finanzbericht-admin"),
            ("/verwaltung/netzwerke/it-achse/beitraege", "konsole-beitraege-admin"),
            ("/verwaltung/admin/nachrichten", "konsole-nachrichten"),
            ("/verwaltung/admin/protokoll", "konsole-protokoll"),
        };
        foreach (var (path, name) in pages)
        {
            var answer = await page.GotoAsync(path);
            Assert.True(answer!.Status == 200, $"{path} answered {answer.Status}");
            await PortalPlatform.CheckAsync(page, name);
        }
    }

    private async Task<(Guid Id, string Name)> OpenSiteAsync(string name)
    {
        using var api = platform.Api("admin");
        var opened = await api.PostAsJsonAsync(new Uri("/api/networks/it-achse/sites", UriKind.Relative), new { name, town = "Lingen (Ems)", district = "emsland", opened = new DateOnly(Year - 1, 1, 1) });
        opened.EnsureSuccessStatusCode();
        var id = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        // Funding learns of the site from the networks service's event.
        await Eventually.SucceedsAsync(async () => (await api.GetAsync(new Uri($"/api/funding/sites/{id}/coverage", UriKind.Relative))).EnsureSuccessStatusCode(), seconds: 60);
        return (id, name);
    }

    private static async Task CommitAsync(IPage page, string funder, string share)
    {
        await page.Locator("#funder").SelectOptionAsync(new SelectOptionValue { Label = funder });
        await page.Locator("#share").FillAsync(share);
        await page.Locator("#valid-from").FillAsync($"{Year}-01-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Zusage speichern" }).ClickAsync();
    }

    /// <summary>axe (no serious or critical violation), no horizontal scrolling at 360 px, and a screenshot per width.</summary>
}
