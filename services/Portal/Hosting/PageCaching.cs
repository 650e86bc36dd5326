using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace EmsAchse.Portal.Hosting;

/// <summary>
/// Cache headers that fit each page. A public page without a form (a 200 text/html answer that set no cookie and no
/// Cache-Control of its own) gets a short max-age, an ETag of its content and Vary: Cookie, and a matching
/// If-None-Match gets 304. Pages with a form (antiforgery sets no-store and a cookie), pages for a signed-in user and
/// errors stay uncached.
/// </summary>
internal sealed class PageCaching(RequestDelegate next, IOptionsMonitor<PortalOptions> options)
{
    /// <summary>HttpContext item set by a page that showed a notice in place of an unreachable part.</summary>
    public const string Degraded = "portal:degraded";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsPageRequest(context.Request))
        {
            await next(context);
            return;
        }
        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var response = context.Response;
        if (IsCacheable(response) && !context.Items.ContainsKey(Degraded) && context.User.Identity?.IsAuthenticated != true)
        {
            var etag = $"\"{Convert.ToBase64String(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))[..22]}\"";
            response.Headers.ETag = etag;
            response.Headers.CacheControl = $"public, max-age={(int)options.CurrentValue.PageMaxAge.TotalSeconds}";
            response.Headers.Vary = HeaderNames.Cookie;
            if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "W/" + etag)))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                response.ContentLength = null;
                return;
            }
        }
        else if (response.StatusCode == StatusCodes.Status200OK && !response.Headers.ContainsKey(HeaderNames.CacheControl))
        {
            response.Headers.CacheControl = "no-store";
        }
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            buffer.Position = 0;
            await buffer.CopyToAsync(original, context.RequestAborted);
        }
    }

    private static bool IsPageRequest(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }
        var path = request.Path.Value ?? "/";
        // Static assets carry their own ETags and long cache lifetimes; health answers are never cached.
        return !path.StartsWith("/_", StringComparison.Ordinal)
            && !path.StartsWith("/health", StringComparison.Ordinal)
            && !Path.HasExtension(path);
    }

    private static bool IsCacheable(HttpResponse response) =>
        response.StatusCode == StatusCodes.Status200OK
        && response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true
        && !response.Headers.ContainsKey(HeaderNames.SetCookie)
        && !response.Headers.ContainsKey(HeaderNames.CacheControl);
}
