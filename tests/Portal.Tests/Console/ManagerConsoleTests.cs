using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit;

namespace EmsAchse.Portal.Tests.Console;

/// <summary>A network manager's inbox: the public applies, the manager decides, the public pages follow.</summary>
[Collection(PortalPlatformCollection.Name)]
public sealed class ManagerConsoleTests(PortalPlatform platform)
{
    [Fact]
    public async Task an_application_from_the_public_form_is_approved_by_the_it_achse_manager_and_the_organisation_is_listed()
    {
        // "Aa…" sorts first, so the organisation shows on the first page of the network's member list.
        var organization = $"Aaland Daten GmbH {Guid.NewGuid():N}"[..30];
        var visitor = await platform.NewPageAsync();
        await PortalPlatform.FillApplicationAsync(visitor, organization);
        await visitor.Locator("#consent").CheckAsync();
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Antrag absenden" }).ClickAsync();
        await visitor.WaitForURLAsync("**/mitglied-werden/bestaetigung?*");
        var id = await visitor.Locator(".application-id").InnerTextAsync();

        var manager = await platform.NewPageAsync();
        await platform.SignInAsync(manager, PortalPlatform.DemoManager("it-achse"), PortalPlatform.DemoPassword, await NewestInboxPageAsync("it-achse"));
        var entry = manager.Locator($"li.application[data-application='{id}']");
        await Assertions.Expect(entry.Locator("h2")).ToHaveTextAsync(organization);
        // What the application submitted, the contact included although it did not consent to publication.
        await Assertions.Expect(entry.Locator("dl.facts")).ToContainTextAsync("Leer (Ostfriesland)");
        await Assertions.Expect(entry.Locator("dl.facts")).ToContainTextAsync("Hinrich Test, 0491 123456 (nicht veröffentlichen)");
        await PortalPlatform.CheckAsync(manager, "konsole-antraege");

        // Its own page (linked from the name) decides too; the inbox no longer lists it afterwards.
        await entry.Locator("h2 a").ClickAsync();
        await manager.WaitForURLAsync($"**/verwaltung/netzwerke/it-achse/antraege/{id}");
        await Assertions.Expect(manager.Locator(".lead")).ToHaveTextAsync("Offen: noch nicht entschieden.");
        await PortalPlatform.CheckAsync(manager, "konsole-antrag");
        await manager.Locator($"li.application[data-application='{id}']").GetByRole(AriaRole.Button, new() { Name = "Aufnehmen" }).ClickAsync();
        await Assertions.Expect(manager.Locator(".confirmation")).ToContainTextAsync($"{organization} ist aufgenommen: Die Mitgliedschaft gilt ab");
        await Assertions.Expect(manager.Locator(".lead")).ToContainTextAsync("Aufgenommen am");
        await Assertions.Expect(manager.Locator("li.application button")).ToHaveCountAsync(0);
        using (var admin = platform.Api("admin"))
        {
            var decided = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/members/applications/{id}", UriKind.Relative));
            Assert.Equal("active", decided.GetProperty("status").GetString());
        }

        await visitor.GotoAsync("/netzwerke/it-achse");
        await PortalPlatform.ReloadUntilAsync(visitor, async () =>
            await visitor.Locator("ul.members a", new() { HasText = organization }).CountAsync() == 1);
        await visitor.GotoAsync($"/mitglieder?q={Uri.EscapeDataString(organization)}");
        await Assertions.Expect(visitor.Locator("ul.members > li a").First).ToHaveTextAsync(organization);
    }

    [Fact]
    public async Task the_mema_manager_sees_none_of_it_achses_applications_and_gets_the_403_page_for_its_inbox()
    {
        var (name, id) = await ApplyWithIdAsync("it-achse");
        var page = await platform.NewPageAsync(360);
        await platform.SignInAsync(page, PortalPlatform.DemoManager("mema"), PortalPlatform.DemoPassword, "/verwaltung/netzwerke/mema/antraege");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Mitgliedsanträge");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync(name);
        await PortalPlatform.CheckAsync(page, "konsole-antraege-mema", [360]);

        var refused = await page.GotoAsync("/verwaltung/netzwerke/it-achse/antraege");
        Assert.Equal((int)HttpStatusCode.Forbidden, refused!.Status);
        Assert.EndsWith("/verwaltung/kein-zugriff", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync(name);

        // The application's own page: under IT-Achse's address the portal refuses, under MEMA's members does.
        foreach (var path in new[] { $"/verwaltung/netzwerke/it-achse/antraege/{id}", $"/verwaltung/netzwerke/mema/antraege/{id}" })
        {
            var direct = await page.GotoAsync(path);
            Assert.Equal((int)HttpStatusCode.Forbidden, direct!.Status);
            Assert.EndsWith("/verwaltung/kein-zugriff", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
            await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync(name);
        }
    }

    [Fact]
    public async Task a_rejection_keeps_its_reason_and_a_decision_already_made_elsewhere_is_refused_in_german()
    {
        if (await PendingAsync("it-achse") % 20 == 19)
        {
            await ApplyAsync("it-achse"); // so that both of the next two are on the inbox's last page
        }
        var rejected = await ApplyAsync("it-achse");
        var decidedElsewhere = await ApplyAsync("it-achse");
        var page = await platform.NewPageAsync();
        await platform.SignInAsync(page, PortalPlatform.DemoManager("it-achse"), PortalPlatform.DemoPassword, await NewestInboxPageAsync("it-achse"));
        var entry = page.Locator("li.application", new() { Has = page.Locator("h2", new() { HasText = rejected }) });
        await entry.Locator("textarea").FillAsync("Kein Sitz in der Region.");
        await entry.GetByRole(AriaRole.Button, new() { Name = "Ablehnen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".confirmation")).ToHaveTextAsync($"Der Antrag von {rejected} ist abgelehnt.");
        using var admin = platform.Api("admin");
        var applications = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/members/applications?network=it-achse&status=rejected&pageSize=200", UriKind.Relative));
        var decision = applications.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("organizationName").GetString() == rejected);
        Assert.Equal("Kein Sitz in der Region.", decision.GetProperty("reason").GetString());

        // The page still offers the second application; another manager approves it first (here: the admin via the API).
        var other = page.Locator("li.application", new() { Has = page.Locator("h2", new() { HasText = decidedElsewhere }) });
        var otherId = Guid.Parse((await other.GetAttributeAsync("data-application"))!);
        (await admin.PostAsJsonAsync(new Uri($"/api/members/applications/{otherId}/approve", UriKind.Relative), new { })).EnsureSuccessStatusCode();
        await other.GetByRole(AriaRole.Button, new() { Name = "Ablehnen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync($"Über den Antrag von {decidedElsewhere} wurde bereits entschieden");
        var membership = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/members/applications/{otherId}", UriKind.Relative));
        Assert.Equal("active", membership.GetProperty("status").GetString());
    }

    [Fact]
    public async Task the_it_achse_manager_finds_a_member_by_name_ends_the_membership_and_downloads_the_list()
    {
        var name = await ApplyAsync("it-achse");
        using var admin = platform.Api("admin");
        var applications = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/members/applications?network=it-achse&status=applied&pageSize=200", UriKind.Relative));
        var membershipId = applications.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("organizationName").GetString() == name).GetProperty("id").GetGuid();
        (await admin.PostAsJsonAsync(new Uri($"/api/members/applications/{membershipId}/approve", UriKind.Relative), new { })).EnsureSuccessStatusCode();

        var page = await platform.NewPageAsync();
        await platform.SignInAsync(page, PortalPlatform.DemoManager("it-achse"), PortalPlatform.DemoPassword, "/verwaltung/netzwerke/it-achse/mitglieder");
        await page.Locator("#q").FillAsync(name.ToUpperInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Suchen" }).ClickAsync();
        await page.WaitForURLAsync("**/mitglieder?q=*");
        await Assertions.Expect(page.Locator(".result-count")).ToHaveTextAsync($"1 Mitgliedschaft (aktive Mitglieder, Name enthält „{name.ToUpperInvariant()}“)");
        var entry = page.Locator($"li.membership[data-membership='{membershipId}']");
        await Assertions.Expect(entry.Locator("dl.facts")).ToContainTextAsync("aktiv");
        await PortalPlatform.CheckAsync(page, "konsole-mitglieder");

        // A last day in the future is refused, and the membership stays active.
        await entry.Locator("summary").ClickAsync();
        await entry.Locator("input[type=date]").FillAsync(DateTime.Today.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await entry.GetByRole(AriaRole.Button, new() { Name = "Beenden" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync($"Der letzte Tag der Mitgliedschaft von {name} darf nicht vor ihrem Beginn und nicht in der Zukunft liegen.");
        Assert.Equal("active", (await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/members/memberships/{membershipId}", UriKind.Relative))).GetProperty("status").GetString());

        await entry.Locator("summary").ClickAsync();
        await entry.Locator("textarea").FillAsync("Betrieb aufgegeben");
        await entry.GetByRole(AriaRole.Button, new() { Name = "Beenden" }).ClickAsync();
        await Assertions.Expect(page.Locator(".confirmation")).ToContainTextAsync($"Die Mitgliedschaft von {name} endet am");
        await Assertions.Expect(entry).ToHaveCountAsync(0);

        await page.GotoAsync($"/verwaltung/netzwerke/it-achse/mitglieder?status=beendet&q={Uri.EscapeDataString(name)}");
        await Assertions.Expect(entry.Locator("dl.facts")).ToContainTextAsync("beendet");
        var csv = await page.APIRequest.GetAsync($"/verwaltung/netzwerke/it-achse/mitglieder.csv?status=beendet&q={Uri.EscapeDataString(name)}");
        Assert.Equal(200, csv.Status);
        var lines = (await csv.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("network,membership_id,organization_id,organization,status,since,until", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains(name, StringComparison.Ordinal) && l.Contains(",ended,", StringComparison.Ordinal));

        var mema = await platform.NewPageAsync();
        await platform.SignInAsync(mema, PortalPlatform.DemoManager("mema"), PortalPlatform.DemoPassword, "/verwaltung/netzwerke/mema/mitglieder");
        var refused = await mema.APIRequest.GetAsync("/verwaltung/netzwerke/it-achse/mitglieder.csv", new() { MaxRedirects = 0 });
        Assert.Equal((int)HttpStatusCode.Redirect, refused.Status);
        Assert.Equal("/verwaltung/kein-zugriff", new Uri(new Uri(mema.Url), refused.Headers["location"]).AbsolutePath);
    }

    [Fact]
    public async Task the_it_achse_manager_opens_a_site_changes_it_and_closes_it_and_bad_input_changes_nothing()
    {
        var name = $"Papenburg {Guid.NewGuid():N}"[..18];
        var page = await platform.NewPageAsync();
        await platform.SignInAsync(page, PortalPlatform.DemoManager("it-achse"), PortalPlatform.DemoPassword, "/verwaltung/netzwerke/it-achse/standorte");
        var sitesBefore = await page.Locator("table.sites tbody tr").CountAsync();

        await page.Locator("#site-name").FillAsync(name);
        await page.Locator("#site-district").SelectOptionAsync("emsland");
        await page.GetByRole(AriaRole.Button, new() { Name = "Standort eröffnen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("Bitte geben Sie den Ort an, z. B. Lingen (Ems)");
        await Assertions.Expect(page.Locator("#site-town")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#site-name")).ToHaveValueAsync(name);
        await Assertions.Expect(page.Locator("table.sites tbody tr")).ToHaveCountAsync(sitesBefore);
        await PortalPlatform.CheckAsync(page, "konsole-standorte-fehler");

        await page.Locator("#site-town").FillAsync("Papenburg");
        await page.GetByRole(AriaRole.Button, new() { Name = "Standort eröffnen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".confirmation")).ToContainTextAsync($"Der Standort {name} in Papenburg ist seit");
        await Assertions.Expect(page.Locator("table.sites tbody tr")).ToHaveCountAsync(sitesBefore + 1);
        await PortalPlatform.CheckAsync(page, "konsole-standorte");

        await page.Locator($"table.sites tr[data-site='{name}'] a").ClickAsync();
        await page.WaitForURLAsync("**/verwaltung/netzwerke/it-achse/standorte/*");
        // Enhanced navigation patches the page after the address changes; the list has a #site-address of its own.
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"Standort {name}");
        await page.Locator("#site-address").FillAsync("Hauptkanal rechts 1, 26871 Papenburg");
        await page.GetByRole(AriaRole.Button, new() { Name = "Änderungen speichern" }).ClickAsync();
        await Assertions.Expect(page.Locator(".confirmation")).ToHaveTextAsync($"Die Angaben des Standorts {name} sind gespeichert.");
        await PortalPlatform.CheckAsync(page, "konsole-standort");

        await page.Locator("#site-closed").FillAsync(DateTime.Today.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Standort schließen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("Das Datum darf nicht vor der Eröffnung");
        using var anonymous = platform.Api();
        var sites = await anonymous.GetFromJsonAsync<JsonElement>(new Uri("/api/networks/it-achse/sites?pageSize=200", UriKind.Relative));
        var site = sites.GetProperty("items").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);
        Assert.Equal("open", site.GetProperty("status").GetString());
        Assert.Equal("Hauptkanal rechts 1, 26871 Papenburg", site.GetProperty("address").GetString());

        await page.Locator("#site-closed").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Standort schließen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".confirmation")).ToContainTextAsync($"Der Standort {name} ist seit");
        await Assertions.Expect(page.Locator(".lead")).ToContainTextAsync("Geschlossen am");

        // MEMA's manager cannot reach IT-Achse's sites, not even by the site's own address.
        var mema = await platform.NewPageAsync();
        await platform.SignInAsync(mema, PortalPlatform.DemoManager("mema"), PortalPlatform.DemoPassword, "/verwaltung/netzwerke/mema/standorte");
        var refused = await mema.GotoAsync(new Uri(page.Url).PathAndQuery);
        Assert.Equal((int)HttpStatusCode.Forbidden, refused!.Status);
    }

    /// <summary>The inbox lists the oldest first, 20 a page; the other tests of the collection apply too, so the newest may be on a later page.</summary>
    private async Task<string> NewestInboxPageAsync(string network)
    {
        var last = Math.Max(1, (await PendingAsync(network) + 19) / 20);
        return $"/verwaltung/netzwerke/{network}/antraege?seite={last}";
    }

    private async Task<int> PendingAsync(string network)
    {
        using var admin = platform.Api("admin");
        var pending = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/members/applications?network={network}&status=applied&pageSize=1", UriKind.Relative));
        return pending.GetProperty("total").GetInt32();
    }

    /// <summary>An application of a new organisation, as the public makes it; returns the organisation's name.</summary>
    private async Task<string> ApplyAsync(string network) => (await ApplyWithIdAsync(network)).Name;

    private async Task<(string Name, Guid Id)> ApplyWithIdAsync(string network)
    {
        var name = $"Antragsprobe {Guid.NewGuid():N}"[..25];
        using var anonymous = platform.Api();
        var response = await anonymous.PostAsJsonAsync(new Uri("/api/members/applications", UriKind.Relative), new
        {
            network,
            organization = new { name, kind = "company", district = "emsland", town = "Lingen (Ems)", industries = new[] { "it" } },
            contact = new { name = "Probe Person", email = "probe@example.de", consentToPublish = false },
        });
        response.EnsureSuccessStatusCode();
        return (name, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
    }
}
