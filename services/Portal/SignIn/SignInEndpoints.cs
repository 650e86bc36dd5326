using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace EmsAchse.Portal.SignIn;

/// <summary>Sign-in is a link (GET /anmelden, so public pages stay cacheable); sign-out a form post with anti-forgery.</summary>
public static class SignInEndpoints
{
    public const string SignInPath = "/anmelden";
    public const string SignOutPath = "/abmelden";
    public const string FailedPath = "/anmelden/fehlgeschlagen";

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SignInPath, (HttpContext http, string? returnUrl) =>
        {
            var target = LocalOr(returnUrl, ConsolePaths.Home);
            return http.User.Identity?.IsAuthenticated == true
                ? Results.LocalRedirect(target)
                : Results.Challenge(new AuthenticationProperties { RedirectUri = target }, [SignInSetup.OidcScheme]);
        }).AllowAnonymous();

        // Ends the portal's session, its refresh token and identity's session too (its end-session endpoint, then back
        // to the start page).
        endpoints.MapPost(SignOutPath, async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.Text("Die Abmeldung wurde abgelehnt: Das Formular war ungültig oder abgelaufen. Bitte laden Sie die Seite neu.",
                    "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
            }
            if (http.User.Identity?.IsAuthenticated != true)
            {
                return Results.LocalRedirect("/");
            }
            await TokenRevocation.RevokeRefreshTokenAsync(http);
            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [SignInSetup.CookieScheme, SignInSetup.OidcScheme]);
        }).AllowAnonymous().DisableAntiforgery(); // validated above, with a German answer

        return endpoints;
    }

    /// <summary>Only a local path (never "//host" or a URL): no open redirect through the sign-in.</summary>
    internal static string LocalOr(string? url, string fallback) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : fallback;
}
