using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace EmsAchse.Platform.Hosting;

/// <summary>A refused business rule: becomes 409 (or the given status) with the rule's message.</summary>
public class DomainRuleException(string message, int statusCode = StatusCodes.Status409Conflict) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}

/// <summary>Turns every exception that reaches the pipeline into RFC 9457 problem details.</summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            // Malformed JSON, a missing body or an unparsable route/query value.
            BadHttpRequestException bad => (bad.StatusCode, "The request is malformed.", bad.Message),
            DomainRuleException rule => (rule.StatusCode, "The request breaks a business rule.", rule.Message),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "The client closed the request.", (string?)null),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred.", (string?)null),
        };
        if (status >= 500)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }
        else
        {
            LogRefused(logger, httpContext.Request.Method, httpContext.Request.Path, status, exception.Message);
        }
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Path} with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, int status, string reason);
}
