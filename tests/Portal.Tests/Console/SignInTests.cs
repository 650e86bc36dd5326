using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Playwright;
using Xunit;

namespace EmsAchse.Portal.Tests.Console;

/// <summary>Signing in and out through the header, and what a signed-in user may and may not see under /verwaltung.</summary>
[Collection(PortalPlatformCollection.Name)]
public sealed class SignInTests(PortalPlatform platform)
{
    [Fact]
    public async Task an_anonymous_visitor_of_the_console_is_sent_to_sign_in_and_comes_back_to_their_networks_console()
    {
        var page = await platform.NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator(".site-header a.sign-in")).ToHaveTextAsync("Anmelden");

        await page.GotoAsync("/verwaltung");
        await page.WaitForURLAsync("**/identity/**");
        await page.Locator("#email").FillAsync(PortalPlatform.DemoManager("it-achse"));
        await page.Locator("#password").FillAsync(PortalPlatform.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/verwaltung");

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Verwaltung");
        await Assertions.Expect(page.Locator(".console-networks li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".console-networks li[data-network='it-achse']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".site-header .user-name")).ToHaveTextAsync("Demo-Management IT-Achse");
        // A manager sees no platform section of the office.
        await Assertions.Expect(page.Locator(".console-nav")).Not.ToContainTextAsync("Plattform");

        var cookies = await page.Context.CookiesAsync();
        var session = cookies.Where(c => c.Name.StartsWith("emsachse.portal", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(session);
        Assert.All(session, c => Assert.True(c.HttpOnly));
        Assert.All(session, c => Assert.Equal(SameSiteAttribute.Lax, c.SameSite));
        // The tokens stay on the server side of the session: nothing in the browser looks like a JWT.
        Assert.DoesNotContain(cookies, c => c.Value.StartsWith("eyJ", StringComparison.Ordinal));

        // Signed in, pages are for this user only: never a shared cache's copy.
        var home = await page.GotoAsync("/netzwerke");
        Assert.Equal("no-store", (await home!.AllHeadersAsync())["cache-control"]);
    }

    [Fact]
    public async Task the_mema_manager_gets_the_german_403_page_for_it_achses_console_and_signing_out_ends_the_identity_session_too()
    {
        var page = await platform.NewPageAsync(360);
        await platform.SignInAsync(page, PortalPlatform.DemoManager("mema"), PortalPlatform.DemoPassword);

        var refused = await page.GotoAsync("/verwaltung/netzwerke/it-achse");
        Assert.Equal((int)HttpStatusCode.Forbidden, refused!.Status);
        Assert.EndsWith("/verwaltung/kein-zugriff", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Kein Zugriff");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("IT-Achse");

        var own = await page.GotoAsync("/verwaltung/netzwerke/mema");
        Assert.Equal((int)HttpStatusCode.OK, own!.Status);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Metall und Maschinenbau (MEMA)");

        await page.GetByRole(AriaRole.Button, new() { Name = "Abmelden" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Assertions.Expect(page.Locator(".site-header a.sign-in")).ToHaveTextAsync("Anmelden");

        // Identity's session ended too: the console asks for the password again.
        await page.GotoAsync("/verwaltung");
        await page.WaitForURLAsync("**/identity/**");
        await Assertions.Expect(page.Locator("#password")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task signing_out_passes_identitys_end_session_asks_for_the_password_again_and_the_portals_refresh_token_is_refused()
    {
        var page = await platform.NewPageAsync();
        await platform.SignInAsync(page, PortalPlatform.DemoManager("automotive"), PortalPlatform.DemoPassword);
        var refreshToken = (await platform.SessionOfAsync(page)).Properties.GetTokenValue("refresh_token");
        Assert.False(string.IsNullOrEmpty(refreshToken));
        var visited = new List<string>();
        page.Request += (_, request) =>
        {
            lock (visited)
            {
                visited.Add(new Uri(request.Url).AbsolutePath);
            }
        };

        await page.GetByRole(AriaRole.Button, new() { Name = "Abmelden" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Assertions.Expect(page.Locator(".site-header a.sign-in")).ToHaveTextAsync("Anmelden");
        lock (visited)
        {
            Assert.Contains("/identity/connect/endsession", visited);
        }
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name.StartsWith(PortalPlatform.SessionCookie, StringComparison.Ordinal));

        // Identity's cookie no longer signs the browser in silently: its sign-in page asks for the password.
        await page.GotoAsync("/verwaltung");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/identity/anmelden");
        await Assertions.Expect(page.Locator("#password")).ToBeVisibleAsync();

        // The refresh token the portal held is refused, even with the portal's own client credentials.
        using var http = new HttpClient { BaseAddress = platform.Address };
        using var refused = await http.PostAsync(new Uri("/identity/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken!,
            ["client_id"] = platform.PortalClient.Id,
            ["client_secret"] = platform.PortalClient.Secret,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using var answer = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal("invalid_grant", answer.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task a_sign_out_without_its_anti_forgery_token_is_refused_and_the_session_stays()
    {
        var page = await platform.NewPageAsync();
        await platform.SignInAsync(page, PortalPlatform.DemoManager("tourismus"), PortalPlatform.DemoPassword);

        var answer = await page.APIRequest.PostAsync("/abmelden", new() { Form = page.APIRequest.CreateFormData(), MaxRedirects = 0 });
        Assert.Equal((int)HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("Abmeldung wurde abgelehnt", await answer.TextAsync(), StringComparison.Ordinal);

        var console = await page.GotoAsync("/verwaltung");
        Assert.Equal((int)HttpStatusCode.OK, console!.Status);
        await Assertions.Expect(page.Locator(".console-networks li[data-network='tourismus']")).ToBeVisibleAsync();
    }
}
