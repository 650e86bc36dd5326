extern alias identity;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EmsAchse.TestSupport;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace EmsAchse.Identity.Tests;

/// <summary>Rights follow the domain: the networks service appoints and removes managers, identity follows by events.</summary>
[Collection(IdentityCollection.Name)]
public sealed partial class ManagerRightsTests(IdentityPlatform platform)
{
    private const string Slug = "energie-achse-ems";

    [Fact]
    public async Task a_manager_appointed_in_the_networks_service_sets_a_password_by_invitation_manages_the_network_and_loses_it_when_removed()
    {
        using var admin = await NetworksClientAsync(platform.AdminEmail, platform.AdminPassword);
        var email = $"frieda-{Guid.NewGuid():N}@energie.example.org";
        using var appointed = await admin.PostAsJsonAsync(new Uri($"/api/networks/{Slug}/managers", UriKind.Relative), new { name = "Frieda Fiktiv", email });
        Assert.Equal(HttpStatusCode.Created, appointed.StatusCode);
        var managerId = (await appointed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // Without a password the account cannot sign in yet.
        using var browser = new Browser(platform.Identity.Address);
        var link = await InvitationLinkAsync(platform.MailFolder, email, platform.Identity.Address);
        using (var before = await browser.SignInAsync(new Uri(platform.Identity.Address, "identity/anmelden"), email, "Noch-kein-Passwort-1"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }
        const string password = "Frieda-Fiktiv-2026!";
        using (var setUp = await SetPasswordAsync(browser, link, password))
        {
            Assert.Equal(HttpStatusCode.OK, setUp.StatusCode);
            Assert.Contains("set-up-done", await setUp.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var tokens = await new Browser(platform.Identity.Address).CodeFlowAsync(platform.PortalRedirectUri, IdentityPlatform.PortalSecret, email, password);
        Assert.Equal([Slug], Networks(tokens.AccessToken));
        using (var manager = NetworksClient(tokens.AccessToken))
        using (var own = await AuthorityTests.ChangeNetworkAsync(manager, Slug))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri($"/api/networks/{Slug}/managers/{managerId}", UriKind.Relative))).StatusCode);

        // The refresh rebuilds the claims from the account: once identity has applied the removal, the right is gone.
        var refreshed = tokens;
        await Eventually.SucceedsAsync(async () =>
        {
            refreshed = await new Browser(platform.Identity.Address).RedeemAsync(Refresh(tokens.RefreshToken!));
            Assert.Empty(Networks(refreshed.AccessToken));
        });
        using (var removed = NetworksClient(refreshed.AccessToken))
        using (var refused = await AuthorityTests.ChangeNetworkAsync(removed, Slug))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        // A later refresh (and a re-sync re-announcing the removal) cannot bring it back.
        var again = await new Browser(platform.Identity.Address).RedeemAsync(Refresh(refreshed.RefreshToken ?? tokens.RefreshToken!));
        Assert.Empty(Networks(again.AccessToken));
    }

    [Fact]
    public async Task a_used_invitation_link_is_refused_on_the_page_and_on_the_form()
    {
        using var admin = await NetworksClientAsync(platform.AdminEmail, platform.AdminPassword);
        var email = $"gerd-{Guid.NewGuid():N}@energie.example.org";
        using var appointed = await admin.PostAsJsonAsync(new Uri($"/api/networks/{Slug}/managers", UriKind.Relative), new { name = "Gerd Gedacht", email });
        Assert.Equal(HttpStatusCode.Created, appointed.StatusCode);
        var link = await InvitationLinkAsync(platform.MailFolder, email, platform.Identity.Address);
        using var browser = new Browser(platform.Identity.Address);
        using (var first = await SetPasswordAsync(browser, link, "Gerd-Gedacht-2026!"))
        {
            Assert.Contains("set-up-done", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var page = await browser.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
            Assert.Contains("abgelaufen oder wurde bereits verwendet", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var token = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(link.Query)["token"].ToString();
        using (var second = await browser.PostWithTokenFromAsync(new Uri(platform.Identity.Address, "identity/anmelden"), link,
            new Dictionary<string, string> { ["Token"] = token, ["Password"] = "Ganz-Anders-2026!", ["Repeat"] = "Ganz-Anders-2026!" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        }
        // The first password still signs in; the second never took.
        using var signedIn = await browser.SignInAsync(new Uri(platform.Identity.Address, "identity/anmelden"), email, "Gerd-Gedacht-2026!");
        Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        using var other = new Browser(platform.Identity.Address);
        using var wrong = await other.SignInAsync(new Uri(platform.Identity.Address, "identity/anmelden"), email, "Ganz-Anders-2026!");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
    }

    [Fact]
    public async Task the_demo_manager_of_every_demo_network_signs_in_with_the_listed_demo_password()
    {
        var demo = EmsAchse.Platform.Reference.DemoCatalogue.Managers.First(m => m.NetworkSlug == "mariko");
        TokenResponse? tokens = null;
        await Eventually.SucceedsAsync(async () =>
            tokens = await new Browser(platform.Identity.Address).CodeFlowAsync(platform.PortalRedirectUri, IdentityPlatform.PortalSecret, demo.Email, identity::EmsAchse.Identity.Managers.ManagerRights.DemoPassword));
        Assert.Equal(["mariko"], Networks(tokens!.AccessToken));
    }

    internal static async Task<Uri> InvitationLinkAsync(string mailFolder, string email, Uri identity)
    {
        string? mail = null;
        await Eventually.SucceedsAsync(async () =>
        {
            Assert.True(Directory.Exists(mailFolder), "no mail yet");
            foreach (var file in Directory.GetFiles(mailFolder, "*.eml"))
            {
                var text = await File.ReadAllTextAsync(file);
                if (text.Contains($"<{email}>", StringComparison.OrdinalIgnoreCase))
                {
                    mail = text;
                }
            }
            Assert.NotNull(mail);
        });
        var link = new Uri(SetUpLink().Match(mail!).Value);
        Assert.Equal("/identity/einrichten", link.AbsolutePath);
        // The link names the public issuer; the test reaches identity at its own address.
        return new Uri(identity, link.PathAndQuery.TrimStart('/'));
    }

    internal static Task<HttpResponseMessage> SetPasswordAsync(Browser browser, Uri link, string password)
    {
        var token = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(link.Query)["token"].ToString();
        return browser.SubmitFormAsync(link, new Dictionary<string, string> { ["Token"] = token, ["Password"] = password, ["Repeat"] = password });
    }

    internal static string[] Networks(string accessToken) =>
        [.. new JsonWebTokenHandler().ReadJsonWebToken(accessToken).Claims.Where(c => c.Type == "network").Select(c => c.Value)];

    private static Dictionary<string, string> Refresh(string refreshToken) => new()
    {
        ["grant_type"] = "refresh_token",
        ["refresh_token"] = refreshToken,
        ["client_id"] = "portal",
        ["client_secret"] = IdentityPlatform.PortalSecret,
    };

    private async Task<HttpClient> NetworksClientAsync(string email, string password)
    {
        using var browser = new Browser(platform.Identity.Address);
        var tokens = await browser.CodeFlowAsync(platform.PortalRedirectUri, IdentityPlatform.PortalSecret, email, password);
        return NetworksClient(tokens.AccessToken);
    }

    private HttpClient NetworksClient(string accessToken)
    {
        var client = new HttpClient { BaseAddress = platform.Networks.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    [GeneratedRegex(@"https?://\S+/einrichten\?token=[A-Za-z0-9_-]+")]
    private static partial Regex SetUpLink();
}
