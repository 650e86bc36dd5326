using EmsAchse.Portal.Components.Pages.Console.Funding;
using EmsAchse.Portal.Services;
using EmsAchse.Portal.Services.Console;

namespace EmsAchse.Portal.Components.Pages.Console.NetworkRegistry;

/// <summary>A network's catalogue entry as typed; topics comma-separated.</summary>
public sealed class NetworkForm
{
    public string? Slug { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? Topics { get; set; }
    public DateOnly? Founded { get; set; }

    public static NetworkForm From(Network n) => new() { Slug = n.Slug, Name = n.Name, Description = n.Description, Topics = string.Join(", ", n.Topics), Founded = n.Founded };

    public IReadOnlyList<string> TopicList => (Topics ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public NetworkRegistration ToRegistration() => new(Slug?.Trim().ToLowerInvariant(), Name, Description, TopicList, Founded);

    public NetworkChange ToChange() => new(Name, Description, TopicList, Founded);

    private static readonly Dictionary<string, (string Id, string Message)> Fields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["slug"] = ("slug", "Die Kurzbezeichnung (für die Adresse) darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten und kein reserviertes Wort sein, z. B. „holz-achse“."),
        ["name"] = ("name", "Bitte geben Sie den Namen an (höchstens 200 Zeichen)."),
        ["description"] = ("description", "Die Beschreibung darf höchstens 4.000 Zeichen lang sein."),
        ["topics"] = ("topics", "Höchstens 20 Themen mit je höchstens 60 Zeichen, durch Kommas getrennt."),
        ["founded"] = ("founded", "Das Gründungsdatum muss zwischen dem 01.01.1900 und heute liegen."),
        ["dissolvedOn"] = ("dissolved-on", "Das Auflösungsdatum darf nicht in der Zukunft, vor der Gründung oder vor der Eröffnung eines offenen Standorts liegen."),
    };

    /// <summary>The networks service's refusal in German: field errors next to the fields, a rule (409) for the whole form.</summary>
    public static IReadOnlyList<FormMessage> German(ApiProblem problem)
    {
        if (problem.Errors.Count > 0)
        {
            return problem.Errors.Select(e => Fields.TryGetValue(e.Field, out var f) ? new FormMessage(f.Id, f.Message) : new FormMessage(FormMessage.FormLevel, "Bitte prüfen Sie Ihre Angaben."))
                .DistinctBy(m => m.FieldId).ToList();
        }
        var text = (problem.Title ?? "") + " " + (problem.Detail ?? "");
        return [new FormMessage(FormMessage.FormLevel, problem.Status switch
        {
            409 when text.Contains("never reused", StringComparison.OrdinalIgnoreCase) || text.Contains("exists", StringComparison.OrdinalIgnoreCase) =>
                "Diese Kurzbezeichnung ist vergeben oder war es schon einmal; sie wird nie wieder vergeben. Bitte wählen Sie eine andere.",
            409 when text.Contains("already dissolved", StringComparison.OrdinalIgnoreCase) => "Das Netzwerk ist bereits aufgelöst.",
            409 when text.Contains("dissolved", StringComparison.OrdinalIgnoreCase) => "Das Netzwerk ist aufgelöst; sein Eintrag bleibt als Geschichte erhalten und ändert sich nicht mehr.",
            403 => "Das dürfen nur Administratorinnen und Administratoren der Ems-Achse.",
            404 => "Dieses Netzwerk gibt es nicht.",
            _ => "Die Angaben wurden nicht angenommen.",
        })];
    }
}
