using EmsAchse.Portal.Services.Console;

namespace EmsAchse.Portal.Components.Pages.Console.Managers;

/// <summary>The networks service's refusals of an appointment, in German, next to the field they concern.</summary>
public static class ManagerErrors
{
    public const string Summary = "summary";

    public static IReadOnlyDictionary<string, string> For(ApiProblem problem)
    {
        if (problem.Status == StatusCodes.Status409Conflict)
        {
            // The two rules networks checks in the transaction; its detail names which.
            return problem.Detail?.Contains("dissolved", StringComparison.Ordinal) == true
                ? new Dictionary<string, string> { [Summary] = "Das Netzwerk ist aufgelöst und nimmt keine neuen Netzwerkmanager auf." }
                : new Dictionary<string, string> { ["email"] = "Diese E-Mail-Adresse gehört bereits zu einem Netzwerkmanager dieses Netzwerks." };
        }
        var errors = new Dictionary<string, string>();
        foreach (var field in problem.Errors.Select(e => e.Field).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            errors[field.ToLowerInvariant()] = field.ToLowerInvariant() switch
            {
                "name" => "Bitte geben Sie den Namen an (höchstens 120 Zeichen).",
                "email" => "Bitte geben Sie eine E-Mail-Adresse wie name@example.de an.",
                "phone" => "Bitte geben Sie eine Telefonnummer mit 5 bis 30 Zeichen an (Ziffern, Leerzeichen, + ( ) / -) oder lassen Sie das Feld leer.",
                "siteid" => "Bitte wählen Sie einen offenen Standort dieses Netzwerks oder keinen.",
                _ => "Bitte prüfen Sie die Angaben.",
            };
        }
        if (errors.Count == 0)
        {
            errors[Summary] = problem.IsForbidden
                ? "Sie dürfen für dieses Netzwerk keine Netzwerkmanager ernennen."
                : "Die Ernennung wurde nicht angenommen. Bitte prüfen Sie die Angaben.";
        }
        return errors;
    }
}
