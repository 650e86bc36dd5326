using EmsAchse.Portal.Display;
using EmsAchse.Portal.Services;
using EmsAchse.Portal.Services.Console;

namespace EmsAchse.Portal.Components.Pages.Console.Applications;

/// <summary>A decision sent from the inbox or an application's page: the API's answer, or its refusal, in German.</summary>
public static class ApplicationDecision
{
    /// <param name="nameOf">The organisation's name for the messages (the page may know it, or must ask).</param>
    public static async Task<(string? Outcome, string? Error)> DecideAsync(
        ApplicationsClient applications, string? choice, IReadOnlyDictionary<Guid, string?>? reasons, Func<Guid, Task<string>> nameOf, CancellationToken ct)
    {
        if (ApplicationChoice.Read(choice) is not { } chosen)
        {
            return (null, "Bitte wählen Sie bei einem Antrag „Aufnehmen“ oder „Ablehnen“.");
        }
        var (id, approve) = chosen;
        var name = await nameOf(id);
        var reason = reasons?.GetValueOrDefault(id) is { } typed && !string.IsNullOrWhiteSpace(typed) ? typed.Trim() : null;
        if (reason is { Length: > ApplicationChoice.MaxReasonLength })
        {
            return (null, $"Die Begründung ist {GermanFormat.Number(reason.Length)} Zeichen lang; erlaubt sind höchstens 1.000. Über den Antrag von {name} wurde nicht entschieden.");
        }
        try
        {
            var result = approve ? await applications.ApproveAsync(id, reason, ct) : await applications.RejectAsync(id, reason, ct);
            if (result.Problem is { } problem)
            {
                return (null, problem.Status switch
                {
                    StatusCodes.Status403Forbidden => "Sie dürfen über die Anträge dieses Netzwerks nicht entscheiden.",
                    StatusCodes.Status404NotFound => $"Den Antrag von {name} gibt es nicht mehr.",
                    StatusCodes.Status409Conflict => $"Über den Antrag von {name} wurde bereits entschieden; die Seite ist neu geladen.",
                    _ => $"Die Entscheidung über den Antrag von {name} wurde nicht angenommen.",
                });
            }
            var decided = result.Value!;
            return (approve
                ? $"{decided.OrganizationName} ist aufgenommen: Die Mitgliedschaft gilt ab {GermanFormat.Date(decided.Since ?? DateOnly.FromDateTime(DateTime.Today))}."
                : $"Der Antrag von {decided.OrganizationName} ist abgelehnt.", null);
        }
        catch (ServiceUnavailableException)
        {
            return (null, "Der Mitgliederdienst hat nicht geantwortet. Ob entschieden wurde, ist offen: Bitte laden Sie die Seite in einigen Minuten neu.");
        }
    }
}
