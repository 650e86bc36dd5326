namespace EmsAchse.Portal.Hosting;

/// <summary>
/// The portal's own Content-Security-Policy (the gateway adds its strict API policy only where an app sets none):
/// everything from the portal itself, no inline script or style, no framing, forms post only here.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    internal const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpContext)state).Response.Headers;
            headers.ContentSecurityPolicy = Policy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
