namespace EmsAchse.Portal.Components.Pages.Console.Members;

/// <summary>The member list's status filter: the German word in the address, the API's code behind it.</summary>
public static class MemberStatus
{
    public static readonly IReadOnlyList<(string Word, string? Code, string Label)> Filters =
    [
        ("aktiv", "active", "aktive Mitglieder"),
        ("beendet", "ended", "beendete Mitgliedschaften"),
        ("alle", null, "alle, auch Anträge und Ablehnungen"),
    ];

    /// <summary>The filter named in the address; anything unknown is the default, the active members.</summary>
    public static (string Word, string? Code, string Label) Read(string? word) =>
        Filters.FirstOrDefault(f => string.Equals(f.Word, word?.Trim(), StringComparison.OrdinalIgnoreCase)) is { Word: not null } found ? found : Filters[0];

    public static string Label(string code) => code switch
    {
        "active" => "aktiv",
        "ended" => "beendet",
        "applied" => "beantragt",
        "rejected" => "abgelehnt",
        _ => code,
    };
}
