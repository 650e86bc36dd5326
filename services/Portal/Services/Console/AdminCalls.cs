using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EmsAchse.Portal.Services.Console;

/// <summary>A refusal by the API (problem+json): status, title, detail, field errors and the whole body for a rule's figures.</summary>
public sealed record ApiProblem(int Status, string? Title, string? Detail, IReadOnlyList<ApiFieldError> Errors, JsonElement Body)
{
    public bool IsForbidden => Status == StatusCodes.Status403Forbidden;

    public bool IsNotFound => Status == StatusCodes.Status404NotFound;

    public string? Extension(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString()
            : null;

    public int? IntExtension(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var value) && value.TryGetInt32(out var number) ? number : null;

    public IReadOnlyList<string> ListExtension(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.ToString()).ToList()
            : [];
}

/// <summary>What an admin call gave: its value, or the API's refusal. An unreachable service throws <see cref="ServiceUnavailableException"/>.</summary>
public sealed record ApiResult<T>(T? Value, ApiProblem? Problem)
{
    public bool Succeeded => Problem is null;
}

/// <summary>A file from the API (CSV, JSON export) to hand to the browser as a download.</summary>
public sealed record ApiFile(byte[] Content, string ContentType);

/// <summary>
/// How the console's clients call the API with the user's token: 2xx is a value, 4xx a problem the page explains in
/// German (and changes nothing), 5xx and no answer are "unavailable".
/// </summary>
internal static class AdminCalls
{
    public static Task<ApiResult<T>> GetAsync<T>(HttpClient http, string url, CancellationToken ct) =>
        SendAsync<T>(http, new HttpRequestMessage(HttpMethod.Get, url), ct);

    public static Task<ApiResult<T>> SendAsync<T>(HttpClient http, HttpMethod method, string url, object? body, CancellationToken ct) =>
        SendAsync<T>(http, new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body, body.GetType()) }, ct);

    public static async Task<ApiResult<ApiFile>> DownloadAsync(HttpClient http, string url, string accept, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);
        using var response = await ApiCalls.SendAsync(http, request, ct);
        if (response.IsSuccessStatusCode)
        {
            var content = await response.Content.ReadAsByteArrayAsync(ct);
            return new ApiResult<ApiFile>(new ApiFile(content, response.Content.Headers.ContentType?.ToString() ?? accept), null);
        }
        return new ApiResult<ApiFile>(null, await ProblemOrThrowAsync(response, request.Method, url, ct));
    }

    private static async Task<ApiResult<T>> SendAsync<T>(HttpClient http, HttpRequestMessage request, CancellationToken ct)
    {
        var (method, url) = (request.Method, request.RequestUri?.ToString() ?? "");
        using var response = await ApiCalls.SendAsync(http, request, ct);
        if (response.IsSuccessStatusCode)
        {
            if (response.StatusCode == HttpStatusCode.NoContent || typeof(T) == typeof(Unit))
            {
                return new ApiResult<T>(default, null);
            }
            var value = await response.Content.ReadFromJsonAsync<T>(ct);
            return value is null
                ? throw new ServiceUnavailableException($"{method} {url} answered an empty body")
                : new ApiResult<T>(value, null);
        }
        return new ApiResult<T>(default, await ProblemOrThrowAsync(response, method, url, ct));
    }

    private static async Task<ApiProblem> ProblemOrThrowAsync(HttpResponseMessage response, HttpMethod method, string url, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        // 401 means the session's token was refused: as unusable for the page as a service that does not answer.
        if (status >= 500 || status is 401 or 429 || status < 400)
        {
            throw new ServiceUnavailableException($"{method} {url} answered {status}");
        }
        JsonElement body = default;
        try
        {
            body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        }
        catch (JsonException)
        {
        }
        return new ApiProblem(status, Text(body, "title"), Text(body, "detail"), MembersClient.FieldErrors(body), body);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>No value: a call whose answer the page does not read.</summary>
public sealed record Unit;
