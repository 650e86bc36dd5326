using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace EmsAchse.Platform.Hosting;

/// <summary>
/// Stable codes for field errors, beside their English text: a validation problem carries
/// <c>errorCodes: { field: [code, ...] }</c> in the order of <c>errors</c>, whose shape stays as it was. Clients (the
/// portal's German form) match codes, never the text. A validator that knows the exact reason names it
/// (<see cref="Fail"/>); any other message gets its code from the wording the platform's validators share.
/// </summary>
public static class FieldErrorCodes
{
    public const string Extension = "errorCodes";

    public const string Required = "required";
    public const string TooLong = "too-long";
    public const string InvalidEmail = "invalid-email";
    public const string InvalidUrl = "invalid-url";
    public const string InvalidPhone = "invalid-phone";
    public const string InvalidDate = "invalid-date";
    public const string OutOfRange = "out-of-range";
    public const string Immutable = "immutable";
    public const string Reserved = "reserved";
    public const string TooMany = "too-many";
    public const string EmailOrPhoneRequired = "email-or-phone-required";
    public const string Invalid = "invalid";

    /// <summary>"unknown-district" for a value outside the vocabulary of the field "organization.district".</summary>
    public static string Unknown(string field)
    {
        var name = field[(field.LastIndexOf('.') + 1)..];
        name = name switch
        {
            "industries" => "industry",
            "districts" => "district",
            _ => name,
        };
        return $"unknown-{ToKebab(name)}";
    }

    private static readonly AsyncLocal<ConcurrentDictionary<(string Field, string Message), string>?> Named = new();

    /// <summary>Sets the field's error, with the code a client reads instead of the text.</summary>
    public static void Fail(this IDictionary<string, string[]> errors, string field, string code, string message)
    {
        errors[field] = [message];
        Named.Value?.TryAdd((field, message), code);
    }

    /// <summary>Starts the request's record of named codes (middleware of the API defaults).</summary>
    internal static async Task TrackAsync(HttpContext context, RequestDelegate next)
    {
        Named.Value = new ConcurrentDictionary<(string, string), string>();
        await next(context);
    }

    /// <summary>The code of one field error: as its validator named it, or by its wording.</summary>
    public static string CodeOf(string field, string message) =>
        Named.Value is { } named && named.TryGetValue((field, message), out var code) ? code : FromWording(field, message);

    /// <summary>Adds errorCodes beside errors to a validation problem.</summary>
    internal static void AddTo(HttpValidationProblemDetails problem)
    {
        if (problem.Errors.Count > 0 && !problem.Extensions.ContainsKey(Extension))
        {
            problem.Extensions[Extension] = problem.Errors.ToDictionary(e => e.Key, e => e.Value.Select(m => CodeOf(e.Key, m)).ToArray());
        }
    }

    /// <summary>The wording the validators share: "is required", "at most N characters", "must be one of", ...</summary>
    public static string FromWording(string field, string message)
    {
        bool Has(string text) => message.Contains(text, StringComparison.OrdinalIgnoreCase);
        if (Has("is required") || Has("must not be empty") || Has("is missing"))
        {
            return Required;
        }
        if (Has("must be one of") || Has("is not an") || Has("is not a ") || Has("must list at least one of") || Has("must be active or ended") || Has("must be true or false"))
        {
            return Unknown(field);
        }
        if (Has("e-mail address"))
        {
            return InvalidEmail;
        }
        if (Has("http") || Has("URL"))
        {
            return InvalidUrl;
        }
        if (Has("phone") || Has("telephone"))
        {
            return InvalidPhone;
        }
        if (Has("is reserved"))
        {
            return Reserved;
        }
        if (Has("cannot change"))
        {
            return Immutable;
        }
        if (Has("may have at most") || Has("must be at most") || (Has("at most") && Has("characters")))
        {
            return TooLong;
        }
        if (Has("between") || Has("negative") || Has("or more") || Has("at most") || Has("cannot be before") || Has("in the future") || Has("must not be before") || Has("on or after"))
        {
            return OutOfRange;
        }
        if (Has("date"))
        {
            return InvalidDate;
        }
        return Invalid;
    }

    private static string ToKebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
