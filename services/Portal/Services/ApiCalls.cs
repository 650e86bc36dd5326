using System.Net;
using System.Net.Http.Json;
using Polly;

namespace EmsAchse.Portal.Services;

/// <summary>The platform (or the part of it a page needs) did not answer usefully: the page shows a German notice there.</summary>
public sealed class ServiceUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>How every client reads: JSON on success, null on 404 where that means "no such thing", unavailable otherwise.</summary>
internal static class ApiCalls
{
    public static async Task<T?> GetAsync<T>(HttpClient http, string url, bool notFoundIsNull, CancellationToken ct)
        where T : class
    {
        using var response = await SendAsync(http, new HttpRequestMessage(HttpMethod.Get, url), ct);
        if (response.StatusCode == HttpStatusCode.NotFound && notFoundIsNull)
        {
            return null;
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new ServiceUnavailableException($"GET {url} answered {(int)response.StatusCode}");
        }
        return await response.Content.ReadFromJsonAsync<T>(ct) ?? throw new ServiceUnavailableException($"GET {url} answered an empty body");
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or ExecutionRejectedException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new ServiceUnavailableException($"{request.Method} {request.RequestUri} failed: {ex.Message}", ex);
        }
        finally
        {
            request.Dispose();
        }
    }

    public static string Query(string path, params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrWhiteSpace(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? path : path + "?" + string.Join("&", given);
    }
}
