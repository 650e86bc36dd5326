using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Playwright;
using Xunit;

namespace EmsAchse.Portal.Tests.Console;

/// <summary>
/// Passkeys in a real Chromium with a virtual authenticator (Chrome DevTools' WebAuthn domain): the browser's own
/// ceremony against identity's verification, through the gateway. WebAuthn refuses IP addresses as relying party, so
/// these pages are opened at <c>localhost</c>, a secure context without TLS.
/// </summary>
[Collection(PortalPlatformCollection.Name)]
public sealed class PasskeyTests(PortalPlatform platform)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task a_passkey_added_signs_in_without_a_password_and_once_removed_it_no_longer_does()
    {
        using var admin = await IdentityAdminAsync();
        var account = await CreateAccountAsync(admin);
        var page = await LocalhostPageWithAuthenticatorAsync();
        await SignInWithPasswordAsync(page, account);

        await page.GotoAsync("/identity/passkeys");
        await Assertions.Expect(page.Locator("#no-passkeys")).ToBeVisibleAsync();
        await page.Locator("#passkey-name").FillAsync("Laptop Büro");
        await page.GetByRole(AriaRole.Button, new() { Name = "Passkey hinzufügen" }).ClickAsync();
        await Assertions.Expect(page.Locator("#passkey-status")).ToHaveTextAsync("Der Passkey ist eingerichtet. Sie können sich ab jetzt damit anmelden.");
        await Assertions.Expect(page.Locator("#passkey-list li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#passkey-list li")).ToContainTextAsync("Laptop Büro");
        await PortalPlatform.CheckAsync(page, "identity-passkeys");

        // A new session: the passkey alone signs in.
        await page.Context.ClearCookiesAsync();
        await SignInWithPasskeyAsync(page);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Sie sind angemeldet als");
        var trail = await AuditKindsAsync(admin, account.Id);
        Assert.Contains("passkey-added", trail);
        Assert.Equal(2, trail.Count(k => k == "sign-in"));

        await page.GotoAsync("/identity/passkeys");
        await page.GetByRole(AriaRole.Button, new() { Name = "Entfernen: Laptop Büro" }).ClickAsync();
        await Assertions.Expect(page.Locator("#passkey-status")).ToHaveTextAsync("Der Passkey ist entfernt.");
        await Assertions.Expect(page.Locator("#no-passkeys")).ToBeVisibleAsync();

        // The authenticator still holds the credential, but identity no longer knows it.
        await page.Context.ClearCookiesAsync();
        await page.GotoAsync("/identity/anmelden");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mit Passkey anmelden" }).ClickAsync();
        await Assertions.Expect(page.Locator("#passkey-sign-in-error")).ToBeVisibleAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "emsachse.identity");
        Assert.Contains("passkey-removed", await AuditKindsAsync(admin, account.Id));
    }

    [Fact]
    public async Task a_locked_account_is_not_signed_in_by_its_passkey_either()
    {
        using var admin = await IdentityAdminAsync();
        var account = await CreateAccountAsync(admin);
        var page = await LocalhostPageWithAuthenticatorAsync();
        await SignInWithPasswordAsync(page, account);
        await page.GotoAsync("/identity/passkeys");
        await page.GetByRole(AriaRole.Button, new() { Name = "Passkey hinzufügen" }).ClickAsync();
        await Assertions.Expect(page.Locator("#passkey-list li")).ToHaveCountAsync(1);
        await page.Context.ClearCookiesAsync();

        for (var attempt = 0; attempt < 5; attempt++)
        {
            await page.GotoAsync("/identity/anmelden");
            await page.Locator("#email").FillAsync(account.Email);
            await page.Locator("#password").FillAsync($"falsch-{attempt}-Passwort");
            await page.Locator("#password").PressAsync("Enter");
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Die Anmeldung ist nicht gelungen.");
        }
        await SignInWithPasskeyAsync(page, expectSuccess: false);

        await Assertions.Expect(page.Locator("#passkey-sign-in-error")).ToBeVisibleAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "emsachse.identity");
        var trail = await AuditKindsAsync(admin, account.Id);
        Assert.Contains("locked-out", trail);
        Assert.Equal(6, trail.Count(k => k == "sign-in-failed"));
    }

    /// <summary>A page at http://localhost:{gateway port} with a user-verifying platform authenticator that holds discoverable credentials.</summary>
    private async Task<IPage> LocalhostPageWithAuthenticatorAsync()
    {
        // WebAuthn refuses IP addresses, so this page goes to the gateway by the name localhost.
        var page = await platform.NewPageAsync(address: new Uri($"http://localhost:{platform.Gateway.Address.Port}/"));
        var devTools = await page.Context.NewCDPSessionAsync(page);
        await devTools.SendAsync("WebAuthn.enable");
        await devTools.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        return page;
    }

    private static async Task SignInWithPasswordAsync(IPage page, CreatedAccount account)
    {
        await page.GotoAsync("/identity/anmelden");
        await page.Locator("#email").FillAsync(account.Email);
        await page.Locator("#password").FillAsync(account.OneTimePassword);
        await page.Locator("#password").PressAsync("Enter");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/identity/");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Sie sind angemeldet als");
    }

    private static async Task SignInWithPasskeyAsync(IPage page, bool expectSuccess = true)
    {
        await page.GotoAsync("/identity/anmelden");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mit Passkey anmelden" }).ClickAsync();
        if (expectSuccess)
        {
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/identity/");
        }
        else
        {
            await page.WaitForLoadStateAsync(LoadState.Load);
        }
    }

    /// <summary>Identity's API as the first admin: its access token from the portal's session after a sign-in there.</summary>
    private async Task<HttpClient> IdentityAdminAsync()
    {
        var page = await platform.NewPageAsync();
        var (email, password) = await platform.InitialAdminAsync();
        await platform.SignInAsync(page, email, password);
        var token = (await platform.SessionOfAsync(page)).Properties.GetTokenValue("access_token");
        await page.Context.CloseAsync();
        var client = new HttpClient { BaseAddress = platform.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<CreatedAccount> CreateAccountAsync(HttpClient admin)
    {
        var email = $"passkey-{Guid.NewGuid():N}@example.org";
        using var response = await admin.PostAsJsonAsync(new Uri("/identity/api/accounts", UriKind.Relative),
            new { email, name = "Passkey Probe", roles = new[] { "network-manager" }, networks = new[] { "it-achse" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CreatedAccount>(Web))!;
    }

    private static async Task<List<string>> AuditKindsAsync(HttpClient admin, string accountId)
    {
        var trail = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/identity/api/accounts/{accountId}/audit?pageSize=200", UriKind.Relative));
        return [.. trail.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()!)];
    }

    private sealed record CreatedAccount(string Id, string Email, string OneTimePassword);
}
