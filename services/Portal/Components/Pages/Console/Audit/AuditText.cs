using EmsAchse.Portal.Display;

namespace EmsAchse.Portal.Components.Pages.Console.Audit;

/// <summary>The audit trail's words in German: identity's event kinds, moments in Berlin time.</summary>
public static class AuditText
{
    public static readonly IReadOnlyList<(string Code, string Name)> Kinds =
    [
        ("sign-in", "Anmeldung"),
        ("sign-in-failed", "Anmeldung gescheitert"),
        ("locked-out", "Konto gesperrt"),
        ("signed-out", "Abmeldung"),
        ("password-set", "Passwort gesetzt"),
        ("password-reset", "Passwort zurückgesetzt"),
        ("two-factor-enabled", "Zweiter Faktor eingeschaltet"),
        ("two-factor-disabled", "Zweiter Faktor ausgeschaltet"),
        ("right-gained", "Recht erhalten"),
        ("right-lost", "Recht entzogen"),
        ("invited", "eingeladen"),
    ];

    public static string Kind(string code) => Kinds.FirstOrDefault(k => k.Code == code).Name ?? code;

    /// <summary>"02.12.2026, 14:05 Uhr" in Berlin time.</summary>
    public static string Moment(DateTimeOffset at) =>
        $"{GermanFormat.Date(at)}, {TimeZoneInfo.ConvertTime(at, Berlin).ToString("HH:mm", GermanFormat.Culture)} Uhr";

    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
}
