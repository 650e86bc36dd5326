using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EmsAchse.Platform.Hosting;

/// <summary>Takes X-Correlation-Id from the caller (or makes one), echoes it and puts it on every log line.</summary>
public sealed class CorrelationMiddleware(RequestDelegate next, ILogger<CorrelationMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[CorrelationContext.Header].ToString();
        var id = CorrelationContext.IsAcceptable(incoming) ? incoming : CorrelationContext.NewId();
        CorrelationContext.Current = id;
        context.TraceIdentifier = id;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[CorrelationContext.Header] = id;
            return Task.CompletedTask;
        });
        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
        {
            await next(context);
        }
    }
}
