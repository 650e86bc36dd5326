using System.Globalization;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using EmsAchse.Platform.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace EmsAchse.Portal.SignIn;

/// <summary>
/// The cookie's principal validation: an access token that expires soon (they live five minutes) is exchanged with the
/// refresh token at identity's token endpoint, and the user's claims are rebuilt from the new identity token, so a
/// right taken away at identity is gone from the portal at the next refresh. A refused or failed refresh ends the session.
/// </summary>
internal static partial class TokenRefresh
{
    /// <summary>The claims the session keeps from an identity token; the protocol's own (iss, aud, exp, nonce ...) are dropped.</summary>
    private static readonly HashSet<string> Kept = ["sub", PlatformClaims.Name, "email", PlatformClaims.Role, PlatformClaims.Network, "sid"];

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var settings = services.GetRequiredService<IOptions<SignInOptions>>().Value;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var expiresAt = context.Properties.GetTokenValue("expires_at");
        if (DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)
            && expires - settings.RefreshBefore > now)
        {
            return;
        }
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TokenRefresh));
        var refreshed = await RefreshAsync(context, services, now, logger);
        if (!refreshed)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SignInSetup.CookieScheme);
        }
    }

    private static async Task<bool> RefreshAsync(CookieValidatePrincipalContext context, IServiceProvider services, DateTimeOffset now, ILogger logger)
    {
        var refreshToken = context.Properties.GetTokenValue("refresh_token");
        if (string.IsNullOrEmpty(refreshToken))
        {
            LogNoRefreshToken(logger);
            return false;
        }
        var oidc = services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(SignInSetup.OidcScheme);
        var ct = context.HttpContext.RequestAborted;
        try
        {
            var configuration = await oidc.ConfigurationManager!.GetConfigurationAsync(ct);
            using var request = new HttpRequestMessage(HttpMethod.Post, configuration.TokenEndpoint)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "refresh_token",
                    ["refresh_token"] = refreshToken,
                    ["client_id"] = oidc.ClientId!,
                    ["client_secret"] = oidc.ClientSecret!,
                }),
            };
            using var response = await oidc.Backchannel.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                LogRefused(logger, (int)response.StatusCode);
                return false;
            }
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            var accessToken = Text(answer, "access_token");
            if (accessToken is null)
            {
                LogRefused(logger, (int)response.StatusCode);
                return false;
            }
            var expiresIn = answer.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 300;
            var tokens = new List<AuthenticationToken>
            {
                new() { Name = "access_token", Value = accessToken },
                new() { Name = "refresh_token", Value = Text(answer, "refresh_token") ?? refreshToken },
                new() { Name = "token_type", Value = Text(answer, "token_type") ?? "Bearer" },
                new() { Name = "expires_at", Value = now.AddSeconds(expiresIn).ToString("o", CultureInfo.InvariantCulture) },
            };
            var idToken = Text(answer, "id_token") ?? context.Properties.GetTokenValue("id_token");
            if (idToken is not null)
            {
                tokens.Add(new AuthenticationToken { Name = "id_token", Value = idToken });
            }
            context.Properties.StoreTokens(tokens);
            if (Text(answer, "id_token") is { } fresh)
            {
                context.ReplacePrincipal(PrincipalFrom(fresh, context.Principal?.Identity?.AuthenticationType));
            }
            context.ShouldRenew = true;
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            LogFailed(logger, ex.Message);
            return false;
        }
    }

    /// <summary>
    /// The claims of an identity token that came straight from the token endpoint over the authenticated back channel
    /// (OpenID Connect Core 3.1.3.7 lets a client trust that channel instead of checking the signature again).
    /// </summary>
    internal static ClaimsPrincipal PrincipalFrom(string idToken, string? authenticationType)
    {
        var token = new JsonWebTokenHandler().ReadJsonWebToken(idToken);
        var identity = new ClaimsIdentity(
            token.Claims.Where(c => Kept.Contains(c.Type)).Select(c => new Claim(c.Type, c.Value)),
            authenticationType ?? SignInSetup.OidcScheme,
            PlatformClaims.Name,
            PlatformClaims.Role);
        return new ClaimsPrincipal(identity);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "The session has no refresh token: signed out")]
    private static partial void LogNoRefreshToken(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Identity refused the token refresh ({Status}): signed out")]
    private static partial void LogRefused(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The token refresh failed ({Reason}): signed out")]
    private static partial void LogFailed(ILogger logger, string reason);
}
