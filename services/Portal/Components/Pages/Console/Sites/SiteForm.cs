using EmsAchse.Portal.Components.Pages.Console.Funding;
using EmsAchse.Portal.Services;
using EmsAchse.Portal.Services.Console;
using Microsoft.AspNetCore.Components.Forms;

namespace EmsAchse.Portal.Components.Pages.Console.Sites;

/// <summary>A site's details as typed, and the networks service's refusals of them in German next to their field.</summary>
public sealed class SiteForm
{
    public string? Name { get; set; }

    public string? Town { get; set; }

    public string? District { get; set; }

    public string? Address { get; set; }

    public DateOnly? Opened { get; set; }

    public static SiteForm From(Site site) => new() { Name = site.Name, Town = site.Town, District = site.District, Address = site.Address, Opened = site.Opened };

    public SiteInput ToInput() => new(Name, Town, District, Address, Opened);

    /// <summary>The id of a property's input in <c>SiteFields</c>.</summary>
    public static string FieldId(string property) => "site-" + property.ToLowerInvariant();

    /// <summary>Puts each refused field's German message on the edit context (the inputs mark themselves invalid); the rest for the summary.</summary>
    public static List<FormMessage> Explain(ApiProblem problem, EditContext context, ValidationMessageStore messages)
    {
        messages.Clear();
        var summary = new List<FormMessage>();
        foreach (var field in problem.Errors.Select(e => e.Field.ToLowerInvariant()).Distinct(StringComparer.Ordinal))
        {
            var (property, text) = field switch
            {
                "name" => (nameof(Name), "Bitte geben Sie den Namen des Standorts an (höchstens 120 Zeichen)."),
                "town" => (nameof(Town), "Bitte geben Sie den Ort an, z. B. Lingen (Ems) (2 bis 80 Zeichen)."),
                "district" => (nameof(District), "Bitte wählen Sie den Landkreis oder die Stadt aus der Liste."),
                "address" => (nameof(Address), "Die Anschrift darf höchstens 200 Zeichen auf einer Zeile haben."),
                "opened" => (nameof(Opened), "Bitte geben Sie das Eröffnungsdatum an."),
                _ => ("", "Bitte prüfen Sie die Angaben."),
            };
            if (property.Length > 0)
            {
                messages.Add(context.Field(property), text);
            }
            summary.Add(new FormMessage(property.Length > 0 ? FieldId(property) : FormMessage.FormLevel, text));
        }
        if (summary.Count == 0)
        {
            summary.Add(new FormMessage(FormMessage.FormLevel, problem.Status switch
            {
                StatusCodes.Status403Forbidden => "Sie dürfen die Standorte dieses Netzwerks nicht ändern.",
                StatusCodes.Status404NotFound => "Diesen Standort gibt es nicht (mehr).",
                StatusCodes.Status409Conflict when problem.Detail?.Contains("dissolved", StringComparison.Ordinal) == true => "Das Netzwerk ist aufgelöst und nimmt keine Standorte auf.",
                StatusCodes.Status409Conflict when problem.Detail?.Contains("closed", StringComparison.Ordinal) == true => "Der Standort ist geschlossen und kann nicht mehr geändert werden.",
                StatusCodes.Status409Conflict => "Das Netzwerk hat bereits einen offenen Standort mit diesem Namen.",
                _ => "Die Angaben wurden nicht angenommen.",
            }));
        }
        context.NotifyValidationStateChanged();
        return summary;
    }
}
