namespace EmsAchse.Gateway.Security;

/// <summary>Response headers that keep browsers from sniffing, framing or leaking; the API reference page may run its own scripts, and an app's own CSP stays.</summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    internal const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";
    internal const string DocsPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https:; font-src 'self' data: https:; img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'";

    private static readonly PathString Docs = "/docs";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            // Also the one the services send: no product names to fingerprint.
            headers.Remove("Server");
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            // Web apps behind the gateway (identity's sign-in, the portal) send a policy fitted to their pages; keep it.
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments(Docs) ? DocsPolicy : ApiPolicy;
            }
            if (http.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
