using System.Net;
using EmsAchse.TestSupport;
using Xunit;

namespace EmsAchse.Identity.Tests;

[Collection(IdentityCollection.Name)]
public sealed class SignInTests(IdentityPlatform platform)
{
    private const string FailedText = "Die Anmeldung ist nicht gelungen.";

    [Fact]
    public async Task an_unknown_email_and_a_wrong_password_get_the_same_answer()
    {
        var account = await new AuthorityTests(platform).CreateAccountAsync("network-manager", ["it-achse"]);
        using var browser = new Browser(platform.Identity.Address);

        using var unknown = await browser.SignInAsync(SignInPage, $"niemand-{Guid.NewGuid():N}@example.org", "irgendein-Passwort-1");
        using var wrong = await browser.SignInAsync(SignInPage, account.Email, "falsches-Passwort-1");

        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        var unknownText = await unknown.Content.ReadAsStringAsync();
        var wrongText = await wrong.Content.ReadAsStringAsync();
        Assert.Contains(FailedText, unknownText, StringComparison.Ordinal);
        Assert.Contains(FailedText, wrongText, StringComparison.Ordinal);
        Assert.Equal(WithoutTokens(unknownText).Replace(AccountEmailOf(unknownText), "", StringComparison.Ordinal),
            WithoutTokens(wrongText).Replace(account.Email, "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task repeated_wrong_passwords_lock_the_account_even_for_the_right_password()
    {
        var account = await new AuthorityTests(platform).CreateAccountAsync("network-manager", ["mema"]);
        using var browser = new Browser(platform.Identity.Address);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var wrong = await browser.SignInAsync(SignInPage, account.Email, $"falsch-{attempt}-Passwort");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        using var right = await browser.SignInAsync(SignInPage, account.Email, account.OneTimePassword);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains(FailedText, await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(right.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("emsachse.identity=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task the_right_password_signs_in_with_a_http_only_same_site_cookie()
    {
        var account = await new AuthorityTests(platform).CreateAccountAsync("network-manager", ["mema"]);
        using var browser = new Browser(platform.Identity.Address);

        using var right = await browser.SignInAsync(SignInPage, account.Email, account.OneTimePassword);

        Assert.Equal(HttpStatusCode.Found, right.StatusCode);
        var cookie = Assert.Single(right.Headers.GetValues("Set-Cookie"), c => c.StartsWith("emsachse.identity=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/identity", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task a_sign_in_without_the_anti_forgery_token_is_refused()
    {
        using var http = new HttpClient { BaseAddress = platform.Identity.Address };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = platform.AdminEmail, ["Password"] = platform.AdminPassword });

        using var response = await http.PostAsync(SignInPage, form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task sign_in_attempts_from_one_address_are_rate_limited()
    {
        await using var identity = platform.StartIdentity(SqliteFiles.NewDatabase("identity-limited"), "limited", signInsPerMinute: 3);
        using var browser = new Browser(identity.Address);
        var page = new Uri(identity.Address, "identity/anmelden");
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var allowed = await browser.SignInAsync(page, $"niemand-{attempt}@example.org", "irgendein-Passwort-1");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await browser.SignInAsync(page, "niemand@example.org", "irgendein-Passwort-1");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
    }

    private Uri SignInPage => new(platform.Identity.Address, "identity/anmelden");

    private static string WithoutTokens(string html) =>
        System.Text.RegularExpressions.Regex.Replace(html, "value=\"CfDJ8[^\"]*\"", "");

    private static string AccountEmailOf(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "value=\"(niemand-[^\"]+)\"").Groups[1].Value;
}
