using Microsoft.Extensions.Caching.Memory;

namespace EmsAchse.Portal.Services;

/// <summary>
/// The list of networks, kept for <see cref="PortalOptions.CatalogueMaxAge"/>: nearly every public page shows it (filters,
/// the map, the menu of networks) and the networks service counts every network's active members for it, which at
/// 100,000 memberships costs more than the rest of the directory page. Callers share one fetch in flight; a failed fetch
/// is not kept. The console's writes to the networks API drop it at once (<see cref="CatalogueChangeHandler"/>), so a
/// manager sees their own change; other changes (member counts, coverage from events) show within the max age, as
/// they would from a browser's cache of the page.
/// </summary>
public sealed class NetworkCatalogue(IMemoryCache cache)
{
    private static readonly object Key = new();

    public Task<IReadOnlyList<Network>> GetAsync(TimeSpan maxAge, Func<Task<IReadOnlyList<Network>>> fetch)
    {
        if (maxAge <= TimeSpan.Zero)
        {
            return fetch();
        }
        var shared = cache.GetOrCreate(Key, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = maxAge;
            return fetch();
        })!;
        if (shared.IsFaulted || shared.IsCanceled)
        {
            cache.Remove(Key);
        }
        else if (!shared.IsCompleted)
        {
            // Dropped when it fails later, so the next caller tries again.
            _ = shared.ContinueWith(t => cache.Remove(Key), CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion, TaskScheduler.Default);
        }
        return shared;
    }

    public void Forget() => cache.Remove(Key);
}

/// <summary>After a successful write to the networks API through a console client, the kept list of networks is dropped.</summary>
public sealed class CatalogueChangeHandler(NetworkCatalogue catalogue) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode
            && request.Method != HttpMethod.Get && request.Method != HttpMethod.Head
            && request.RequestUri?.AbsolutePath.StartsWith("/api/networks", StringComparison.OrdinalIgnoreCase) == true)
        {
            catalogue.Forget();
        }
        return response;
    }
}
