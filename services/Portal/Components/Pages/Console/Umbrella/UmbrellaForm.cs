using System.Globalization;
using EmsAchse.Portal.Components.Pages.Console.Funding;
using EmsAchse.Portal.Display;
using EmsAchse.Portal.Services;
using EmsAchse.Portal.Services.Console;

namespace EmsAchse.Portal.Components.Pages.Console.Umbrella;

/// <summary>The umbrella's facts as typed; lists (districts, work areas) one per line or as checkboxes.</summary>
public sealed class UmbrellaForm
{
    public string? Name { get; set; }
    public string? ShortName { get; set; }
    public string? LegalForm { get; set; }
    public string? Founded { get; set; }
    public string? Mission { get; set; }
    public string? Street { get; set; }
    public string? PostalCode { get; set; }
    public string? Town { get; set; }
    public bool Emsland { get; set; }
    public bool GrafschaftBentheim { get; set; }
    public bool Leer { get; set; }
    public bool Aurich { get; set; }
    public bool Wittmund { get; set; }
    public bool Emden { get; set; }
    public string? MemberOrganizations { get; set; }
    public string? Employees { get; set; }
    public string? FiguresYear { get; set; }
    public string? WorkAreas { get; set; }
    public string? Website { get; set; }

    public static UmbrellaForm From(EmsAchse.Portal.Services.Umbrella u)
    {
        string? N(int? n) => n?.ToString(CultureInfo.InvariantCulture);
        bool Has(string code) => u.Districts.Contains(code);
        return new UmbrellaForm
        {
            Name = u.Name, ShortName = u.ShortName, LegalForm = u.LegalForm, Founded = N(u.Founded), Mission = u.Mission,
            Street = u.Office.Street, PostalCode = u.Office.PostalCode, Town = u.Office.Town,
            Emsland = Has("emsland"), GrafschaftBentheim = Has("grafschaft-bentheim"), Leer = Has("leer"), Aurich = Has("aurich"), Wittmund = Has("wittmund"), Emden = Has("emden"),
            MemberOrganizations = N(u.MemberOrganizations), Employees = N(u.Employees), FiguresYear = N(u.FiguresYear),
            WorkAreas = string.Join("\n", u.WorkAreas), Website = u.Website,
        };
    }

    /// <summary>The districts ticked, as codes.</summary>
    public IReadOnlyList<string> Districts =>
        new (bool On, string Code)[] { (Emsland, "emsland"), (GrafschaftBentheim, "grafschaft-bentheim"), (Leer, "leer"), (Aurich, "aurich"), (Wittmund, "wittmund"), (Emden, "emden") }
            .Where(d => d.On).Select(d => d.Code).ToList();

    /// <summary>The facts to send, or what the form can already tell is not a number.</summary>
    public (UmbrellaInput? Input, IReadOnlyList<FormMessage> Errors) Read()
    {
        var errors = new List<FormMessage>();
        int? Number(string? text, string field, string what)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }
            if (int.TryParse(text.Replace(".", "", StringComparison.Ordinal).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }
            errors.Add(new(field, $"Bitte geben Sie {what} als ganze Zahl an."));
            return null;
        }
        var founded = Number(Founded, "founded", "das Gründungsjahr");
        var members = Number(MemberOrganizations, "member-organizations", "die Zahl der Mitgliedsorganisationen");
        var employees = Number(Employees, "employees", "die Zahl der Beschäftigten");
        var year = Number(FiguresYear, "figures-year", "das Jahr der Zahlen");
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var areas = (WorkAreas ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (new UmbrellaInput(Name, ShortName, LegalForm, founded, Mission, new UmbrellaOffice(Street, PostalCode, Town), Districts, members, employees, year, areas, Website), errors);
    }

    private static readonly Dictionary<string, (string Id, string Message)> Fields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = ("name", "Bitte geben Sie den Namen an (höchstens 200 Zeichen)."),
        ["shortName"] = ("short-name", "Bitte geben Sie den Kurznamen an (höchstens 60 Zeichen)."),
        ["legalForm"] = ("legal-form", "Bitte geben Sie die Rechtsform an, z. B. e.V. (höchstens 40 Zeichen)."),
        ["founded"] = ("founded", "Das Gründungsjahr muss zwischen 1900 und dem laufenden Jahr liegen."),
        ["mission"] = ("mission", "Bitte beschreiben Sie den Auftrag (höchstens 4.000 Zeichen)."),
        ["office.street"] = ("street", "Bitte geben Sie Straße und Hausnummer der Geschäftsstelle an."),
        ["office.postalCode"] = ("postal-code", "Die Postleitzahl muss fünf Ziffern haben."),
        ["office.town"] = ("town", "Bitte geben Sie den Ort der Geschäftsstelle an (2 bis 80 Zeichen)."),
        ["districts"] = ("districts", "Bitte wählen Sie mindestens einen Landkreis."),
        ["memberOrganizations"] = ("member-organizations", "Die Zahl der Mitgliedsorganisationen darf nicht negativ sein."),
        ["employees"] = ("employees", "Die Zahl der Beschäftigten darf nicht negativ sein."),
        ["figuresYear"] = ("figures-year", "Das Jahr der Zahlen muss zwischen 1900 und dem laufenden Jahr liegen."),
        ["workAreas"] = ("work-areas", "Jedes Arbeitsfeld braucht einen Text von höchstens 120 Zeichen."),
        ["website"] = ("website", "Bitte geben Sie die Website als vollständige Adresse an, z. B. https://www.emsachse.de."),
    };

    public static IReadOnlyList<FormMessage> German(IEnumerable<ApiFieldError> errors) =>
        errors.Select(e => Fields.TryGetValue(e.Field, out var f) ? new FormMessage(f.Id, f.Message) : new FormMessage(FormMessage.FormLevel, "Bitte prüfen Sie Ihre Angaben."))
            .DistinctBy(m => m.FieldId).ToList();
}
