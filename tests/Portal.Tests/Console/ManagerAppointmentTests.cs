using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EmsAchse.TestSupport;
using Microsoft.Playwright;
using MimeKit;
using Xunit;

namespace EmsAchse.Portal.Tests.Console;

/// <summary>Appointing a manager in the console is what lets a new person in: networks tells identity, identity invites.</summary>
[Collection(PortalPlatformCollection.Name)]
public sealed partial class ManagerAppointmentTests(PortalPlatform platform)
{
    [Fact]
    public async Task an_admin_appoints_a_manager_who_follows_the_invitation_sets_a_password_and_gets_that_networks_console()
    {
        var email = $"neu.{Guid.NewGuid():N}"[..16] + "@example.org";
        var page = await platform.NewPageAsync();
        var (adminEmail, adminPassword) = await platform.InitialAdminAsync();
        await platform.SignInAsync(page, adminEmail, adminPassword, "/verwaltung/netzwerke/mariko/manager");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Netzwerkmanager");

        // A wrong address: the German error next to the field, and nobody is appointed.
        await page.Locator("#manager-name").FillAsync("Nele Neu");
        await page.Locator("#manager-email").FillAsync("nele-at-example");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ernennen und einladen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("Bitte geben Sie eine E-Mail-Adresse wie name@example.de an.");
        await Assertions.Expect(page.Locator("#manager-email")).ToHaveAttributeAsync("aria-invalid", "true");
        await PortalPlatform.CheckAsync(page, "konsole-manager-fehler");
        Assert.DoesNotContain("Nele Neu", await ManagerNamesAsync("mariko"));

        await page.Locator("#manager-email").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ernennen und einladen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".confirmation")).ToHaveTextAsync($"Nele Neu ist Netzwerkmanager von mariko. Die Einladung zur Anmeldung geht an {email}.");
        await Assertions.Expect(page.Locator("table.managers")).ToContainTextAsync(email);
        await PortalPlatform.CheckAsync(page, "konsole-manager");

        // The same address again is refused.
        await page.Locator("#manager-name").FillAsync("Nele Doppelt");
        await page.Locator("#manager-email").FillAsync(email.ToUpperInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Ernennen und einladen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("Diese E-Mail-Adresse gehört bereits zu einem Netzwerkmanager dieses Netzwerks.");

        // The invitation, as Nele opens it: a link to identity's page where she sets her password.
        var link = await InvitationLinkAsync(email);
        var nele = await platform.NewPageAsync(360);
        await nele.GotoAsync(link.ToString());
        const string password = "Nele-Neu-Passwort-2026";
        await nele.Locator("#password").FillAsync(password);
        await nele.Locator("#repeat").FillAsync(password);
        await nele.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(nele.Locator("#set-up-done")).ToBeVisibleAsync();

        await platform.SignInAsync(nele, email, password, "/verwaltung/netzwerke/mariko");
        await Assertions.Expect(nele.Locator("h1")).ToHaveTextAsync("Maritime Verbundwirtschaft (MARIKO)");
        var other = await nele.GotoAsync("/verwaltung/netzwerke/it-achse/manager");
        Assert.Equal(403, other!.Status);

        // Removing her takes the console away at the next sign-in; here: she is gone from the network's list.
        var row = page.Locator("table.managers tr", new() { HasText = email });
        await row.GetByRole(AriaRole.Button, new() { Name = "Entfernen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".confirmation")).ToHaveTextAsync("Nele Neu ist entfernt und kann dieses Netzwerk nicht mehr verwalten.");
        await Assertions.Expect(page.Locator("table.managers")).Not.ToContainTextAsync(email);
        Assert.DoesNotContain("Nele Neu", await ManagerNamesAsync("mariko"));
    }

    private async Task<List<string>> ManagerNamesAsync(string network)
    {
        using var admin = platform.Api("admin");
        var managers = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/networks/{network}/managers?pageSize=200", UriKind.Relative));
        return managers.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("name").GetString()!).ToList();
    }

    /// <summary>The link in identity's invitation to <paramref name="email"/> (written to the development mail folder).</summary>
    private async Task<Uri> InvitationLinkAsync(string email)
    {
        Uri? link = null;
        await Eventually.SucceedsAsync(async () =>
        {
            Assert.True(Directory.Exists(platform.MailFolder), "no mail yet");
            foreach (var file in Directory.GetFiles(platform.MailFolder, "*.eml"))
            {
                var mail = await MimeMessage.LoadAsync(file);
                if (mail.To.Mailboxes.Any(m => string.Equals(m.Address, email, StringComparison.OrdinalIgnoreCase))
                    && SetUpLink().Match(mail.TextBody ?? "") is { Success: true } match)
                {
                    link = new Uri(match.Value);
                }
            }
            Assert.NotNull(link);
        }, seconds: 60);
        // The link names the public address: the gateway, as the browser reaches it.
        Assert.Equal(platform.Address.Authority, link!.Authority);
        return link;
    }

    [GeneratedRegex(@"https?://\S+/identity/einrichten\?token=[A-Za-z0-9_-]+")]
    private static partial Regex SetUpLink();
}
