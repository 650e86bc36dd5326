using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EmsAchse.Portal.Services;

/// <summary>A field error as the API gave it: its English text and, where the API sends one, a stable code.</summary>
public sealed record ApiFieldError(string Field, string Message, string? Code);

/// <summary>What became of an application: submitted, refused with field errors, or refused by a rule (409/422).</summary>
public abstract record ApplicationOutcome
{
    public sealed record Submitted(SubmittedApplication Application) : ApplicationOutcome;

    public sealed record Invalid(IReadOnlyList<ApiFieldError> Errors) : ApplicationOutcome;

    public sealed record Refused(int Status, string? Title, string? Detail) : ApplicationOutcome;
}

/// <summary>The members service's public directory and the membership application, through the gateway.</summary>
public sealed class MembersClient(HttpClient http)
{
    public async Task<Paged<Organization>> SearchAsync(DirectorySearch search, CancellationToken ct) =>
        (await ApiCalls.GetAsync<Paged<Organization>>(
            http,
            ApiCalls.Query(
                "api/members/organizations",
                ("q", search.Text), ("network", search.Network), ("district", search.District), ("region", search.Region),
                ("industry", search.Industry), ("kind", search.Kind),
                ("page", search.Page.ToString(CultureInfo.InvariantCulture)), ("pageSize", search.PageSize.ToString(CultureInfo.InvariantCulture))),
            notFoundIsNull: false,
            ct))!;

    public Task<Organization?> FindAsync(Guid id, CancellationToken ct) =>
        ApiCalls.GetAsync<Organization>(http, $"api/members/organizations/{id:D}", notFoundIsNull: true, ct);

    public async Task<ApplicationOutcome> ApplyAsync(MembershipApplication application, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/members/applications") { Content = JsonContent.Create(application) };
        using var response = await ApiCalls.SendAsync(http, request, ct);
        if (response.IsSuccessStatusCode)
        {
            var submitted = await response.Content.ReadFromJsonAsync<SubmittedApplication>(ct);
            return submitted is null
                ? throw new ServiceUnavailableException("the application answer was empty")
                : new ApplicationOutcome.Submitted(submitted);
        }
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity)
        {
            var problem = await ReadProblemAsync(response, ct);
            var errors = FieldErrors(problem);
            return response.StatusCode == HttpStatusCode.BadRequest && errors.Count > 0
                ? new ApplicationOutcome.Invalid(errors)
                : new ApplicationOutcome.Refused((int)response.StatusCode, Text(problem, "title"), Text(problem, "detail"));
        }
        throw new ServiceUnavailableException($"POST api/members/applications answered {(int)response.StatusCode}");
    }

    /// <summary>
    /// The problem's <c>errors</c> (field to English strings) with the stable code of each from <c>errorCodes</c> (field to
    /// codes, in the same order); objects with <c>code</c> and <c>message</c> inside <c>errors</c> are read too.
    /// </summary>
    internal static IReadOnlyList<ApiFieldError> FieldErrors(JsonElement problem)
    {
        var errors = new List<ApiFieldError>();
        if (problem.ValueKind != JsonValueKind.Object || !problem.TryGetProperty("errors", out var fields) || fields.ValueKind != JsonValueKind.Object)
        {
            return errors;
        }
        var codes = problem.TryGetProperty("errorCodes", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        foreach (var field in fields.EnumerateObject())
        {
            var entries = field.Value.ValueKind == JsonValueKind.Array ? field.Value.EnumerateArray().ToList() : [field.Value];
            var fieldCodes = codes.ValueKind == JsonValueKind.Object && codes.TryGetProperty(field.Name, out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null).ToList()
                : [];
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                var code = i < fieldCodes.Count ? fieldCodes[i] : null;
                if (entry.ValueKind == JsonValueKind.String)
                {
                    errors.Add(new ApiFieldError(field.Name, entry.GetString() ?? "", code));
                }
                else if (entry.ValueKind == JsonValueKind.Object)
                {
                    errors.Add(new ApiFieldError(field.Name, Text(entry, "message") ?? Text(entry, "detail") ?? "", Text(entry, "code") ?? code));
                }
            }
        }
        return errors;
    }

    private static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
