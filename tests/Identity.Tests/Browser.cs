using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Xunit;

namespace EmsAchse.Identity.Tests;

/// <summary>What a browser does with identity's pages: keeps cookies, follows nothing by itself, posts the form with its anti-forgery token.</summary>
public sealed partial class Browser : IDisposable
{
    private readonly HttpClient _http;

    public Browser(Uri identity)
    {
        Identity = identity;
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true })
        {
            BaseAddress = identity,
        };
    }

    public Uri Identity { get; }

    /// <summary>Sends every request as the gateway would for a visitor at <paramref name="address"/> (the tests run on 127.0.0.1, a trusted gateway address).</summary>
    public Browser ForwardedFor(string address)
    {
        _http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return this;
    }

    public Task<HttpResponseMessage> GetAsync(Uri uri) => _http.GetAsync(uri);

    /// <summary>Opens the sign-in page at <paramref name="page"/> and submits e-mail and password.</summary>
    public async Task<HttpResponseMessage> SignInAsync(Uri page, string email, string password)
    {
        var html = await _http.GetStringAsync(page);
        Assert.Contains("<html lang=\"de\">", html, StringComparison.Ordinal);
        var token = AntiforgeryField().Match(html);
        Assert.True(token.Success, "the sign-in form carries an anti-forgery token");
        var returnUrl = QueryHelpers.ParseQuery(page.Query).TryGetValue("ReturnUrl", out var r) ? r.ToString() : "";
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = password,
            ["ReturnUrl"] = returnUrl,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        });
        return await _http.PostAsync(page, form);
    }

    /// <summary>Opens a page with a form at <paramref name="page"/> and posts <paramref name="fields"/> with the form's anti-forgery token.</summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(Uri page, Dictionary<string, string> fields)
    {
        var html = await _http.GetStringAsync(page);
        var token = AntiforgeryField().Match(html);
        Assert.True(token.Success, "the form carries an anti-forgery token");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        });
        return await _http.PostAsync(page, form);
    }

    /// <summary>Posts <paramref name="fields"/> to <paramref name="page"/> with the anti-forgery token of another form on it.</summary>
    public async Task<HttpResponseMessage> PostWithTokenFromAsync(Uri formPage, Uri page, Dictionary<string, string> fields)
    {
        var html = await _http.GetStringAsync(formPage);
        var token = AntiforgeryField().Match(html);
        Assert.True(token.Success, "the form carries an anti-forgery token");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        });
        return await _http.PostAsync(page, form);
    }

    /// <summary>
    /// The portal's part of the code flow with PKCE: authorize (which sends the browser to the sign-in page), sign in,
    /// back to authorize, take the code from the redirect to the portal and redeem it at the token endpoint.
    /// </summary>
    public async Task<TokenResponse> CodeFlowAsync(Uri redirectUri, string clientSecret, string email, string password)
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Guid.NewGuid().ToString("N");
        var authorize = new Uri(Identity, QueryHelpers.AddQueryString("identity/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = "portal",
            ["response_type"] = "code",
            ["redirect_uri"] = redirectUri.ToString(),
            ["scope"] = "openid profile offline_access emsachse",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["state"] = state,
        }));

        using var toSignIn = await _http.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Found, toSignIn.StatusCode);
        var signInPage = Absolute(toSignIn);
        Assert.Equal("/identity/anmelden", signInPage.AbsolutePath);

        using var signedIn = await SignInAsync(signInPage, email, password);
        Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        using var toPortal = await _http.GetAsync(Absolute(signedIn));
        Assert.Equal(HttpStatusCode.Found, toPortal.StatusCode);
        var callback = Absolute(toPortal);
        Assert.Equal(redirectUri.GetLeftPart(UriPartial.Path), callback.GetLeftPart(UriPartial.Path));
        var parameters = QueryHelpers.ParseQuery(callback.Query);
        Assert.Equal(state, parameters["state"].ToString());

        return await RedeemAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = parameters["code"].ToString(),
            ["redirect_uri"] = redirectUri.ToString(),
            ["code_verifier"] = verifier,
            ["client_id"] = "portal",
            ["client_secret"] = clientSecret,
        });
    }

    /// <summary>POST to the token endpoint; fails the test unless tokens come back.</summary>
    public async Task<TokenResponse> RedeemAsync(Dictionary<string, string> form)
    {
        using var response = await TokenRequestAsync(form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"token endpoint answered {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<TokenResponse>(body)!;
    }

    public async Task<HttpResponseMessage> TokenRequestAsync(Dictionary<string, string> form)
    {
        using var content = new FormUrlEncodedContent(form);
        return await _http.PostAsync(new Uri(Identity, "identity/connect/token"), content);
    }

    public async Task<T> GetJsonAsync<T>(Uri uri) => (await _http.GetFromJsonAsync<T>(uri))!;

    public void Dispose() => _http.Dispose();

    private Uri Absolute(HttpResponseMessage redirect) =>
        new(Identity, redirect.Headers.Location ?? throw new InvalidOperationException("no Location"));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}

public sealed record TokenResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn);
