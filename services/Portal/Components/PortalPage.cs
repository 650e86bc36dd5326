using EmsAchse.Portal.Services;
using EmsAchse.Portal.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EmsAchse.Portal.Components;

/// <summary>A part of a page that comes from the platform: its value, or the fact that its service did not answer.</summary>
public sealed record Part<T>(T? Value, bool Unavailable)
    where T : class
{
    public bool Loaded => Value is not null;
}

/// <summary>What every page shares: the request's cancellation, and loading a part that may be unavailable.</summary>
public abstract class PortalPage : ComponentBase
{
    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    [Inject]
    private ILogger<PortalPage> Logger { get; set; } = null!;

    protected CancellationToken Aborted => HttpContext?.RequestAborted ?? CancellationToken.None;

    /// <summary>Loads one part; an unreachable service becomes a notice in place of that part, never an error page.</summary>
    protected async Task<Part<T>> LoadAsync<T>(Func<Task<T?>> load)
        where T : class
    {
        try
        {
            return new Part<T>(await load(), Unavailable: false);
        }
        catch (ServiceUnavailableException ex)
        {
            Logger.LogWarning("{Page}: a part is shown as unavailable: {Reason}", GetType().Name, ex.Message);
            // A page with a notice must not be cached as if it were the real one.
            if (HttpContext is { } http)
            {
                http.Items[PageCaching.Degraded] = true;
            }
            return new Part<T>(null, Unavailable: true);
        }
    }

    /// <summary>This answer is for one visitor (a form, a confirmation): no cache keeps it.</summary>
    protected void DoNotCache()
    {
        if (HttpContext is { Response.HasStarted: false } http)
        {
            http.Response.Headers.CacheControl = "no-store";
        }
    }

    protected void SetStatus(int status)
    {
        if (HttpContext is { Response.HasStarted: false } http)
        {
            http.Response.StatusCode = status;
        }
    }
}
