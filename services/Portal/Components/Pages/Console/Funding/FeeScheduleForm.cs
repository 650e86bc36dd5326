using EmsAchse.Portal.Display;
using EmsAchse.Portal.Services.Console;

namespace EmsAchse.Portal.Components.Pages.Console.Funding;

/// <summary>The fee schedule as typed: the annual fee in euros per organisation kind (empty means no fee).</summary>
public sealed class FeeScheduleForm
{
    public string? Company { get; set; }
    public string? Municipality { get; set; }
    public string? Education { get; set; }
    public string? Research { get; set; }
    public string? Chamber { get; set; }
    public string? Association { get; set; }
    public string? Institution { get; set; }

    /// <summary>The organisation kind's code with the typed value, in the vocabulary's order.</summary>
    public IReadOnlyList<(string Kind, string? Text)> Entries =>
    [
        ("company", Company), ("municipality", Municipality), ("education", Education), ("research", Research),
        ("chamber", Chamber), ("association", Association), ("institution", Institution),
    ];

    public static FeeScheduleForm From(FeeSchedule schedule)
    {
        string Of(string kind) => GermanInput.Euros(schedule.AnnualFeeCents.GetValueOrDefault(kind));
        return new FeeScheduleForm
        {
            Company = Of("company"), Municipality = Of("municipality"), Education = Of("education"), Research = Of("research"),
            Chamber = Of("chamber"), Association = Of("association"), Institution = Of("institution"),
        };
    }

    /// <summary>The schedule to send, or the kinds whose amount is no amount in euros.</summary>
    public (FeeScheduleInput? Input, IReadOnlyList<string> Invalid) Read()
    {
        var fees = new Dictionary<string, long?>();
        var invalid = new List<string>();
        foreach (var (kind, text) in Entries)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                fees[kind] = 0;
            }
            else if (GermanInput.Cents(text) is { } cents)
            {
                fees[kind] = cents;
            }
            else
            {
                invalid.Add(kind);
            }
        }
        return invalid.Count > 0 ? (null, invalid) : (new FeeScheduleInput(fees), invalid);
    }
}
