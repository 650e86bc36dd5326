using Microsoft.AspNetCore.Authentication;

namespace EmsAchse.Gateway.Security;

/// <summary>
/// Credentials that are sent must be valid, even on a public route: a revoked key or an expired token gets 401
/// instead of silently being served as anonymous, so a caller learns at once that its credentials stopped working.
/// </summary>
internal sealed class RejectInvalidCredentials(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true
            && (context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header) || context.Request.Headers.Authorization.Count > 0))
        {
            return context.ChallengeAsync();
        }
        return next(context);
    }
}
