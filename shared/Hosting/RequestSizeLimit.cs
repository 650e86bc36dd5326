using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmsAchse.Platform.Hosting;

/// <summary>The same key for the gateway and the services, so a service never accepts more than the gateway.</summary>
public sealed class RequestLimitOptions
{
    public const string Section = "RequestLimits";

    /// <summary>Largest request body accepted (default 1 MiB); larger ones get 413.</summary>
    [Range(1, long.MaxValue)]
    public long MaxBodyBytes { get; set; } = 1024 * 1024;
}

/// <summary>
/// Refuses a declared oversized body with 413 problem+json before anything is forwarded; a chunked body without
/// Content-Length is cut by Kestrel's MaxRequestBodySize (same value) while it streams.
/// </summary>
public sealed class RequestSizeLimit(RequestDelegate next, IOptions<RequestLimitOptions> options)
{
    private readonly long _max = options.Value.MaxBodyBytes;

    public Task InvokeAsync(HttpContext context) =>
        context.Request.ContentLength > _max ? RefuseAsync(context, _max) : next(context);

    private static async Task RefuseAsync(HttpContext context, long max)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        // Do not read the rest of the body: close the connection after answering.
        context.Response.Headers.Connection = "close";
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "Request body too large.",
                Detail = $"The body has {context.Request.ContentLength} bytes; at most {max} are accepted.",
            },
        });
    }
}
