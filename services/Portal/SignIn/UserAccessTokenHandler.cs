using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication;

namespace EmsAchse.Portal.SignIn;

/// <summary>
/// Gives a console client's call the signed-in user's access token from the authentication session (already refreshed by
/// the cookie's validation), so the services decide what the user may do exactly as for any other caller.
/// </summary>
public sealed class UserAccessTokenHandler(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (accessor.HttpContext is { User.Identity.IsAuthenticated: true } http
            && await http.GetTokenAsync(SignInSetup.CookieScheme, "access_token") is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await base.SendAsync(request, cancellationToken);
    }
}
