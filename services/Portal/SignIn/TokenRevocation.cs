using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace EmsAchse.Portal.SignIn;

/// <summary>
/// At sign-out the session's refresh token is revoked at identity's revocation endpoint (RFC 7009): ending identity's
/// cookie session alone leaves a refresh token valid for days, which a stolen session ticket could still redeem.
/// </summary>
internal static partial class TokenRevocation
{
    /// <summary>Never throws: a revocation that fails is logged and the sign-out goes on.</summary>
    public static async Task RevokeRefreshTokenAsync(HttpContext http)
    {
        var refreshToken = await http.GetTokenAsync(SignInSetup.CookieScheme, "refresh_token");
        if (string.IsNullOrEmpty(refreshToken))
        {
            return;
        }
        var services = http.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TokenRevocation));
        var oidc = services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(SignInSetup.OidcScheme);
        var ct = http.RequestAborted;
        try
        {
            var configuration = await oidc.ConfigurationManager!.GetConfigurationAsync(ct);
            if (string.IsNullOrEmpty(configuration.RevocationEndpoint))
            {
                LogNoEndpoint(logger);
                return;
            }
            using var request = new HttpRequestMessage(HttpMethod.Post, configuration.RevocationEndpoint)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["token"] = refreshToken,
                    ["token_type_hint"] = "refresh_token",
                    ["client_id"] = oidc.ClientId!,
                    ["client_secret"] = oidc.ClientSecret!,
                }),
            };
            using var response = await oidc.Backchannel.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                LogRefused(logger, (int)response.StatusCode);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            LogFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The authority names no revocation endpoint: the refresh token stays valid until it expires")]
    private static partial void LogNoEndpoint(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Identity refused to revoke the refresh token at sign-out ({Status})")]
    private static partial void LogRefused(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revoking the refresh token at sign-out failed ({Reason})")]
    private static partial void LogFailed(ILogger logger, string reason);
}
