using EmsAchse.Portal.Services;

namespace EmsAchse.Portal.Components.Pages.Apply;

/// <summary>A German error next to a form field (by the field's element id).</summary>
public sealed record FormError(string FieldId, string Message);

/// <summary>
/// The API's field errors in German, next to the form's fields. The API names fields by their JSON path
/// ("organization.town") and gives each error a stable code beside its English text; the German follows the code,
/// never the English wording. Without a code (an older service) the field's general hint is shown.
/// </summary>
public static class ApplicationErrors
{
    public const string ConsentField = "consent";
    public const string FormLevel = "form";

    private sealed record Field(string Id, string Label, string Invalid);

    private static readonly Dictionary<string, Field> Fields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["network"] = new("network", "ein Netzwerk", "Bitte wählen Sie ein Netzwerk aus der Liste."),
        ["organization.name"] = new("name", "den Namen der Organisation", "Bitte geben Sie den Namen der Organisation an (höchstens 200 Zeichen)."),
        ["organization.kind"] = new("kind", "die Art der Organisation", "Bitte wählen Sie die Art der Organisation aus der Liste."),
        ["organization.district"] = new("district", "den Landkreis", "Bitte wählen Sie den Landkreis (oder die Stadt Emden) aus der Liste."),
        ["organization.town"] = new("town", "den Ort", "Bitte geben Sie den Ort an (höchstens 200 Zeichen)."),
        ["organization.address"] = new("address", "die Anschrift", "Die Anschrift darf höchstens 300 Zeichen lang sein."),
        ["organization.website"] = new("website", "die Website", "Bitte geben Sie die Website als vollständige Adresse an, z. B. https://www.example.de."),
        ["organization.industries"] = new("industry", "eine Branche", "Bitte wählen Sie eine Branche aus der Liste."),
        ["organization.employees"] = new("employees", "die Zahl der Beschäftigten", "Bitte wählen Sie die Zahl der Beschäftigten aus der Liste."),
        ["contact.name"] = new("contact-name", "den Namen der Ansprechperson", "Bitte geben Sie den Namen der Ansprechperson an (höchstens 200 Zeichen)."),
        ["contact.email"] = new("contact-email", "eine E-Mail-Adresse", "Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@example.de."),
        ["contact.phone"] = new("contact-phone", "eine Telefonnummer", "Die Telefonnummer darf nur Ziffern, Leerzeichen und + - / ( ) enthalten (höchstens 40 Zeichen)."),
        ["contact.role"] = new("contact-role", "die Funktion", "Die Funktion darf höchstens 200 Zeichen lang sein."),
    };

    public static IReadOnlyList<FormError> German(IEnumerable<ApiFieldError> errors) =>
        errors.Select(German).DistinctBy(e => e.FieldId).ToList();

    public static FormError German(ApiFieldError error)
    {
        if (!Fields.TryGetValue(error.Field, out var field))
        {
            return new FormError(FormLevel, "Bitte prüfen Sie Ihre Angaben.");
        }
        var message = error.Code?.ToLowerInvariant() switch
        {
            "required" => $"Bitte geben Sie {field.Label} an.",
            "too-long" => $"Die Angabe ist zu lang. {field.Invalid}",
            "too-many" => $"Bitte wählen Sie weniger Einträge. {field.Invalid}",
            "email-or-phone-required" => "Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an, unter der wir die Ansprechperson erreichen.",
            _ => field.Invalid,
        };
        return new FormError(field.Id, message);
    }

    public static FormError ConsentMissing { get; } =
        new(ConsentField, "Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu, damit wir Ihren Antrag bearbeiten können.");

    /// <summary>A refusal by a rule (409/422) in German.</summary>
    public static string Refusal(ApplicationOutcome.Refused refused) => refused switch
    {
        { Status: 409, Title: var t } when t?.Contains("already registered", StringComparison.OrdinalIgnoreCase) == true =>
            "Ihre Organisation ist an diesem Ort bereits eingetragen. Bitte wenden Sie sich an die Geschäftsstelle oder das Netzwerk, damit wir Ihren Antrag der bestehenden Organisation zuordnen.",
        { Status: 409, Title: var t } when t?.Contains("dissolved", StringComparison.OrdinalIgnoreCase) == true =>
            "Dieses Netzwerk wurde aufgelöst und nimmt keine Anträge mehr an.",
        { Status: 422 } => "Dieses Netzwerk gibt es nicht. Bitte wählen Sie ein Netzwerk aus der Liste.",
        _ => "Ihr Antrag konnte nicht angenommen werden. Bitte prüfen Sie Ihre Angaben.",
    };
}
