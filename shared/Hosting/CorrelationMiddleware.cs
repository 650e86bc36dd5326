using System.Collections;
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
        // Static callback with the context as state: no closure allocated on every request.
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            http.Response.Headers[CorrelationContext.Header] = http.TraceIdentifier;
            return Task.CompletedTask;
        }, context);
        using (logger.BeginScope(new CorrelationScope(id)))
        {
            await next(context);
        }
    }

    /// <summary>The log scope of a request: one small object instead of a dictionary per request.</summary>
    private sealed class CorrelationScope(string id) : IReadOnlyList<KeyValuePair<string, object>>
    {
        public int Count => 1;

        public KeyValuePair<string, object> this[int index] =>
            index == 0 ? new("CorrelationId", id) : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
        {
            yield return this[0];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"CorrelationId:{id}";
    }
}
