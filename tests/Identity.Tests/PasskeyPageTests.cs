using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace EmsAchse.Identity.Tests;

/// <summary>
/// The passkey pages' unhappy paths over plain HTTP. The WebAuthn ceremonies themselves need a browser with an
/// authenticator: Portal.Tests' PasskeyTests run them in Chromium with a virtual authenticator.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class PasskeyPageTests(IdentityPlatform platform)
{
    [Fact]
    public async Task the_passkeys_page_wants_a_session()
    {
        using var browser = new Browser(platform.Identity.Address);

        using var response = await browser.GetAsync(PasskeysPage);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/identity/anmelden", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task the_sign_in_page_offers_passkeys_with_options_for_no_account_in_particular()
    {
        using var browser = new Browser(platform.Identity.Address);
        var html = await (await browser.GetAsync(SignInPage)).Content.ReadAsStringAsync();
        Assert.Contains("id=\"passkey-sign-in\"", html, StringComparison.Ordinal);
        Assert.Contains("Mit Passkey anmelden", html, StringComparison.Ordinal);

        using var options = await browser.PostWithTokenFromAsync(SignInPage, new Uri(SignInPage, "?handler=passkeyoptions"), []);

        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        var json = await options.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrEmpty(json.GetProperty("challenge").GetString()));
        Assert.Equal("required", json.GetProperty("userVerification").GetString());
        // No account named, so the answer says nothing about which addresses have passkeys.
        Assert.True(!json.TryGetProperty("allowCredentials", out var allowed) || allowed.GetArrayLength() == 0, json.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"id\":\"AAAA\",\"rawId\":\"AAAA\",\"type\":\"public-key\",\"response\":{}}")]
    public async Task a_passkey_sign_in_with_a_forged_answer_is_refused_without_a_session(string credentialJson)
    {
        using var browser = new Browser(platform.Identity.Address);
        // The options first, as the script does, so the refusal is the answer's and not a missing ceremony's.
        using (await browser.PostWithTokenFromAsync(SignInPage, new Uri(SignInPage, "?handler=passkeyoptions"), []))
        {
        }

        using var response = await browser.PostWithTokenFromAsync(SignInPage, new Uri(SignInPage, "?handler=passkey"),
            new() { ["CredentialJson"] = credentialJson, ["ReturnUrl"] = "" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"passkey-sign-in-error\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("emsachse.identity=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_forged_new_passkey_is_a_400_and_none_is_kept()
    {
        var (browser, account) = await SignedInAsync();
        using (browser)
        {
            using (var options = await browser.PostWithTokenFromAsync(PasskeysPage, new Uri(PasskeysPage, "?handler=creationoptions"), []))
            {
                Assert.Equal(HttpStatusCode.OK, options.StatusCode);
                var json = await options.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal(account.Email, json.GetProperty("user").GetProperty("name").GetString());
            }

            using var added = await browser.PostWithTokenFromAsync(PasskeysPage, new Uri(PasskeysPage, "?handler=add"),
                new() { ["CredentialJson"] = "{\"id\":\"AAAA\",\"type\":\"public-key\"}", ["Name"] = "Gefälscht" });

            Assert.Equal(HttpStatusCode.BadRequest, added.StatusCode);
            var html = await added.Content.ReadAsStringAsync();
            Assert.Contains("id=\"passkey-error\"", html, StringComparison.Ordinal);
            Assert.Contains("id=\"no-passkeys\"", html, StringComparison.Ordinal);
            Assert.Contains("id=\"no-passkeys\"", await (await browser.GetAsync(PasskeysPage)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("kein-base64url!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")]
    public async Task removing_a_passkey_the_account_does_not_have_is_a_404(string id)
    {
        var (browser, _) = await SignedInAsync();
        using (browser)
        {
            using var removed = await browser.PostWithTokenFromAsync(PasskeysPage, new Uri(PasskeysPage, "?handler=remove"), new() { ["Id"] = id });

            Assert.Equal(HttpStatusCode.NotFound, removed.StatusCode);
            Assert.Contains("Diesen Passkey gibt es für Ihren Zugang nicht.", await removed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task the_passkey_script_is_served_from_the_service_itself()
    {
        using var browser = new Browser(platform.Identity.Address);

        using var script = await browser.GetAsync(new Uri(platform.Identity.Address, "identity/js/passkeys.js"));

        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("navigator.credentials", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("passkey-added")]
    [InlineData("passkey-removed")]
    public async Task the_audit_api_knows_the_passkey_kinds(string kind)
    {
        using var admin = await new AuthorityTests(platform).AdminClientAsync();

        using var response = await admin.GetAsync(new Uri($"identity/api/audit?kind={kind}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<(Browser Browser, CreatedAccount Account)> SignedInAsync()
    {
        var account = await new AuthorityTests(platform).CreateAccountAsync("network-manager", ["it-achse"]);
        var browser = new Browser(platform.Identity.Address);
        using var signedIn = await browser.SignInAsync(SignInPage, account.Email, account.OneTimePassword);
        Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        return (browser, account);
    }

    private Uri SignInPage => new(platform.Identity.Address, "identity/anmelden");

    private Uri PasskeysPage => new(platform.Identity.Address, "identity/passkeys");
}
