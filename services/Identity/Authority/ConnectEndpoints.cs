using EmsAchse.Identity.Accounts;
using EmsAchse.Identity.Audit;
using EmsAchse.Identity.Data;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace EmsAchse.Identity.Authority;

/// <summary>
/// The OpenID Connect endpoints whose answer depends on the account (OpenIddict validates the protocol, these decide
/// who gets which claims). Discovery, JWKS and revocation are OpenIddict's alone.
/// </summary>
public static class ConnectEndpoints
{
    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static void MapConnectEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync);
        endpoints.MapPost("/connect/token", TokenAsync);
        endpoints.MapMethods("/connect/userinfo", [HttpMethods.Get, HttpMethods.Post], UserInfoAsync);
        endpoints.MapMethods("/connect/endsession", [HttpMethods.Get, HttpMethods.Post], EndSessionAsync);
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http, UserManager<Account> accounts, SignInManager<Account> signIns, AccountPrincipals principals)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var cookie = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var account = cookie.Succeeded ? await accounts.GetUserAsync(cookie.Principal) : null;
        if (account is null || !await signIns.CanSignInAsync(account) || await accounts.IsLockedOutAsync(account)
            || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.LoginRequired, "The user is not signed in.");
            }
            // To the sign-in page and back here with the same parameters (a POSTed request comes back as a GET).
            var parameters = http.Request.HasFormContentType ? http.Request.Form.ToList() : http.Request.Query.ToList();
            parameters.RemoveAll(p => p.Key == Parameters.Prompt);
            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + QueryString.Create(parameters) },
                [IdentityConstants.ApplicationScheme]);
        }
        return Results.SignIn(await principals.ForAccountAsync(account, request.GetScopes()), authenticationScheme: Scheme);
    }

    private static async Task<IResult> TokenAsync(
        HttpContext http,
        UserManager<Account> accounts,
        SignInManager<Account> signIns,
        IOpenIddictApplicationManager applications,
        AccountPrincipals principals)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsClientCredentialsGrantType())
        {
            // OpenIddict has authenticated the client already.
            var application = await applications.FindByClientIdAsync(request.ClientId!, http.RequestAborted);
            if (application is null)
            {
                return Refuse(Errors.InvalidClient, "The client is not registered.");
            }
            var name = await applications.GetDisplayNameAsync(application, http.RequestAborted);
            return Results.SignIn(principals.ForIntegrator(request.ClientId!, name, request.GetScopes()), authenticationScheme: Scheme);
        }
        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // The code or refresh token names the account; its rights are read again, as they are now.
            var granted = await http.AuthenticateAsync(Scheme);
            var subject = granted.Principal?.GetClaim(Claims.Subject);
            var account = subject is null ? null : await accounts.FindByIdAsync(subject);
            if (account is null || !await signIns.CanSignInAsync(account) || await accounts.IsLockedOutAsync(account))
            {
                return Refuse(Errors.InvalidGrant, "The account can no longer sign in.");
            }
            return Results.SignIn(await principals.ForAccountAsync(account, granted.Principal!.GetScopes()), authenticationScheme: Scheme);
        }
        return Refuse(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    private static async Task<IResult> UserInfoAsync(HttpContext http, UserManager<Account> accounts)
    {
        var token = await http.AuthenticateAsync(Scheme);
        var subject = token.Principal?.GetClaim(Claims.Subject);
        var account = subject is null ? null : await accounts.FindByIdAsync(subject);
        if (account is null)
        {
            return Results.Challenge(ErrorProperties(Errors.InvalidToken, "The account no longer exists."), [Scheme]);
        }
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [Claims.Subject] = account.Id,
            [Claims.Name] = account.DisplayName,
            [Claims.Role] = await accounts.GetRolesAsync(account),
            [Platform.Hosting.PlatformClaims.Network] = (await accounts.GetClaimsAsync(account))
                .Where(c => c.Type == Platform.Hosting.PlatformClaims.Network).Select(c => c.Value).ToArray(),
        };
        if (token.Principal!.HasScope(Scopes.Email))
        {
            claims[Claims.Email] = account.Email ?? "";
        }
        return Results.Ok(claims);
    }

    private static async Task<IResult> EndSessionAsync(HttpContext http, SignInManager<Account> signIns, UserManager<Account> accounts, AuditTrail audit)
    {
        var cookie = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var account = cookie.Succeeded ? await accounts.GetUserAsync(cookie.Principal) : null;
        await signIns.SignOutAsync();
        if (account is not null)
        {
            await audit.RecordAsync(account, AuditKinds.SignedOut, network: null, http.RequestAborted);
        }
        // OpenIddict redirects to the client's registered post_logout_redirect_uri, or to the sign-in page.
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/identity/anmelden" }, [Scheme]);
    }

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(ErrorProperties(error, description), [Scheme]);

    private static AuthenticationProperties ErrorProperties(string error, string description) => new(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    });
}
