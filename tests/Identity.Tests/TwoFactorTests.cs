using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using OtpNet;
using Xunit;

namespace EmsAchse.Identity.Tests;

/// <summary>
/// TOTP two-factor sign-in. The codes come from Otp.NET (RFC 6238), as an authenticator app computes them from the key
/// the page shows, so the test checks the page's key and Identity's verification against an independent implementation.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed partial class TwoFactorTests(IdentityPlatform platform)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task enabled_with_the_apps_code_the_sign_in_asks_for_a_second_step_which_a_recovery_code_passes_once()
    {
        var account = await new AuthorityTests(platform).CreateAccountAsync("network-manager", ["it-achse"]);
        using var browser = new Browser(platform.Identity.Address);
        using (await browser.SignInAsync(SignInPage, account.Email, account.OneTimePassword))
        {
        }
        var setup = await (await browser.GetAsync(TwoFactorPage)).Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"de\">", setup, StringComparison.Ordinal);
        Assert.Contains("<svg", setup, StringComparison.Ordinal);
        var key = Key().Match(setup).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        var uri = WebUtility.HtmlDecode(Uri().Match(setup).Groups[1].Value);
        Assert.StartsWith($"otpauth://totp/Ems-Achse:{System.Uri.EscapeDataString(account.Email)}?secret=", uri, StringComparison.Ordinal);
        Assert.Contains(key.ToUpperInvariant(), uri, StringComparison.Ordinal);
        var totp = new Totp(Base32Encoding.ToBytes(key.ToUpperInvariant()));

        using (var wrong = await browser.SubmitFormAsync(new Uri(TwoFactorPage, "?handler=enable"), new() { ["Code"] = Other(totp.ComputeTotp()) }))
        {
            Assert.Contains("Der Code ist nicht richtig.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        string[] recoveryCodes;
        using (var enabled = await browser.SubmitFormAsync(new Uri(TwoFactorPage, "?handler=enable"), new() { ["Code"] = totp.ComputeTotp(DateTime.UtcNow.AddSeconds(-30)) }))
        {
            var html = await enabled.Content.ReadAsStringAsync();
            Assert.Contains("two-factor-on", html, StringComparison.Ordinal);
            recoveryCodes = [.. RecoveryCode().Matches(html).Select(m => m.Groups[1].Value)];
        }
        Assert.Equal(10, recoveryCodes.Length);

        // The password alone no longer signs in: the second step wants the app's code.
        using var second = new Browser(platform.Identity.Address);
        using (var password = await second.SignInAsync(SignInPage, account.Email, account.OneTimePassword))
        {
            Assert.Equal(HttpStatusCode.Found, password.StatusCode);
            Assert.Equal("/identity/anmelden/zweiter-schritt", Path(password));
            Assert.DoesNotContain(password.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("emsachse.identity=", StringComparison.Ordinal));
        }
        using (var wrongCode = await second.SubmitFormAsync(SecondStepPage, new() { ["Code"] = Other(totp.ComputeTotp()) }))
        {
            Assert.Equal(HttpStatusCode.OK, wrongCode.StatusCode);
            Assert.Contains("second-step-error", await wrongCode.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var rightCode = await second.SubmitFormAsync(SecondStepPage, new() { ["Code"] = totp.ComputeTotp() }))
        {
            Assert.Equal(HttpStatusCode.Found, rightCode.StatusCode);
            Assert.Contains(rightCode.Headers.GetValues("Set-Cookie"), c => c.StartsWith("emsachse.identity=", StringComparison.Ordinal));
        }

        // A recovery code replaces the app once.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var third = new Browser(platform.Identity.Address);
            using (await third.SignInAsync(SignInPage, account.Email, account.OneTimePassword))
            {
            }
            using var recovered = await third.SubmitFormAsync(SecondStepPage, new() { ["RecoveryCode"] = recoveryCodes[0] });
            Assert.Equal(attempt == 0 ? HttpStatusCode.Found : HttpStatusCode.OK, recovered.StatusCode);
        }

        // Disabled with the password (a wrong one changes nothing), the password alone signs in again.
        using (var refused = await browser.SubmitFormAsync(new Uri(TwoFactorPage, "?handler=disable"), new() { ["Password"] = "nicht-das-Passwort-1" }))
        {
            Assert.Contains("Das Passwort ist nicht richtig.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var disabled = await browser.SubmitFormAsync(new Uri(TwoFactorPage, "?handler=disable"), new() { ["Password"] = account.OneTimePassword }))
        {
            Assert.Contains("two-factor-off", await disabled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var plain = await new Browser(platform.Identity.Address).SignInAsync(SignInPage, account.Email, account.OneTimePassword))
        {
            Assert.Equal("/identity/", Path(plain));
        }

        using var admin = await new AuthorityTests(platform).AdminClientAsync();
        var trail = await admin.GetFromJsonAsync<AuditPage>(new Uri($"identity/api/accounts/{account.Id}/audit", UriKind.Relative), Web);
        Assert.Equal(
            ["sign-in", "two-factor-disabled", "sign-in-failed", "sign-in", "sign-in", "sign-in-failed", "two-factor-enabled", "sign-in", "right-gained"],
            trail!.Items.Select(i => i.Kind));
    }

    [Fact]
    public async Task the_two_factor_page_needs_a_signed_in_person_and_the_second_step_a_correct_password_first()
    {
        using var browser = new Browser(platform.Identity.Address);

        using var page = await browser.GetAsync(TwoFactorPage);
        using var secondStep = await browser.GetAsync(SecondStepPage);

        Assert.Equal(HttpStatusCode.Found, page.StatusCode);
        Assert.Equal("/identity/anmelden", Path(page));
        Assert.Equal(HttpStatusCode.Found, secondStep.StatusCode);
        Assert.Equal("/identity/anmelden", Path(secondStep));
    }

    private string Path(HttpResponseMessage redirect) => new Uri(platform.Identity.Address, redirect.Headers.Location!).AbsolutePath;

    /// <summary>A six-digit code that is not <paramref name="code"/>.</summary>
    private static string Other(string code) => ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 500_000) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    private Uri SignInPage => new(platform.Identity.Address, "identity/anmelden");

    private Uri TwoFactorPage => new(platform.Identity.Address, "identity/zwei-faktor");

    private Uri SecondStepPage => new(platform.Identity.Address, "identity/anmelden/zweiter-schritt");

    [GeneratedRegex("id=\"authenticator-key\" data-key=\"([a-z0-9 ]+)\"")]
    private static partial Regex Key();

    [GeneratedRegex("id=\"authenticator-uri\">([^<]+)<")]
    private static partial Regex Uri();

    [GeneratedRegex("<li><code>([A-Za-z0-9-]+)</code></li>")]
    private static partial Regex RecoveryCode();
}
