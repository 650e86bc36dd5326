using EmsAchse.Portal.Display;
using EmsAchse.Portal.Services.Console;

namespace EmsAchse.Portal.Components.Pages.Console.Funding;

/// <summary>A commitment as typed: the funder, the share in per cent, and its period (the end is optional).</summary>
public sealed class CommitmentForm
{
    public string? FunderId { get; set; }
    public string? Share { get; set; }
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }

    public static CommitmentForm From(Commitment commitment) => new()
    {
        FunderId = commitment.FunderId.ToString("D"),
        Share = GermanInput.Percent(commitment.ShareBasisPoints),
        ValidFrom = commitment.ValidFrom,
        ValidTo = commitment.ValidTo,
    };

    /// <summary>What the form can tell before asking the API: a funder chosen (for a new one) and a share that is a number.</summary>
    public IReadOnlyList<FormMessage> Check(bool needsFunder)
    {
        var errors = new List<FormMessage>();
        if (needsFunder && !Guid.TryParse(FunderId, out _))
        {
            errors.Add(new("funder", "Bitte wählen Sie einen Geldgeber."));
        }
        if (GermanInput.BasisPoints(Share) is not (>= 1 and <= 10000))
        {
            errors.Add(new("share", "Bitte geben Sie den Anteil in Prozent an, zwischen 0,01 und 100 (z. B. 50 oder 33,33)."));
        }
        if (ValidFrom is null)
        {
            errors.Add(new("valid-from", "Bitte geben Sie an, ab wann die Zusage gilt."));
        }
        if (ValidFrom is { } from && ValidTo is { } to && to < from)
        {
            errors.Add(new("valid-to", "Das Ende darf nicht vor dem Beginn liegen."));
        }
        return errors;
    }

    public CommitmentInput ToInput(Guid siteId) =>
        new(Guid.TryParse(FunderId, out var funder) ? funder : null, siteId, GermanInput.BasisPoints(Share), ValidFrom, ValidTo);
}

/// <summary>A German message for a form field (by the field's element id) or for the whole form.</summary>
public sealed record FormMessage(string FieldId, string Message)
{
    public const string FormLevel = "form";
}

/// <summary>The funding service's refusals of a commitment in German, with the figures it returns.</summary>
public static class CommitmentErrors
{
    private static readonly Dictionary<string, (string Id, string Message)> Fields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["funderId"] = ("funder", "Bitte wählen Sie einen Geldgeber."),
        ["siteId"] = (FormMessage.FormLevel, "Der Standort ist unbekannt."),
        ["shareBasisPoints"] = ("share", "Bitte geben Sie den Anteil in Prozent an, zwischen 0,01 und 100."),
        ["validFrom"] = ("valid-from", "Bitte geben Sie an, ab wann die Zusage gilt."),
        ["validTo"] = ("valid-to", "Das Ende darf nicht vor dem Beginn liegen."),
    };

    /// <param name="siteName">the site, for the figures</param>
    /// <param name="funderOf">the funder and share of a commitment id, to name the commitments a refusal lists</param>
    public static IReadOnlyList<FormMessage> German(ApiProblem problem, string siteName, Func<string, string?> funderOf)
    {
        if (problem.Status == 400 && problem.Errors.Count > 0)
        {
            return problem.Errors
                .Select(e => Fields.TryGetValue(e.Field, out var f) ? new FormMessage(f.Id, f.Message) : new FormMessage(FormMessage.FormLevel, "Bitte prüfen Sie Ihre Angaben."))
                .DistinctBy(m => m.FieldId)
                .ToList();
        }
        return [new FormMessage(FormMessage.FormLevel, Refusal(problem, siteName, funderOf))];
    }

    public static string Refusal(ApiProblem problem, string siteName, Func<string, string?> funderOf)
    {
        var title = problem.Title ?? "";
        if (problem.Status == 409 && title.Contains("over 100", StringComparison.OrdinalIgnoreCase))
        {
            var date = DateOnly.TryParse(problem.Extension("date"), System.Globalization.CultureInfo.InvariantCulture, out var d) ? GermanFormat.Date(d) : "einem Tag des Zeitraums";
            var current = problem.IntExtension("currentBasisPoints") ?? 0;
            var total = problem.IntExtension("totalBasisPoints") ?? 0;
            var involved = problem.ListExtension("commitments").Select(id => funderOf(id) ?? "die neue Zusage").ToList();
            return $"Die Zusage wurde nicht gespeichert: Der Standort {siteName} wäre am {date} zu {GermanFormat.Percent(total)} finanziert, "
                + $"mehr als 100\u00a0% sind nicht möglich. An diesem Tag sind bereits {GermanFormat.Percent(current)} zugesagt, frei sind noch {GermanFormat.Percent(Math.Max(0, 10000 - current))}."
                + (involved.Count > 0 ? $" Beteiligt: {string.Join(", ", involved)}." : "");
        }
        if (problem.Status == 409 && title.Contains("already funds", StringComparison.OrdinalIgnoreCase))
        {
            return "Die Zusage wurde nicht gespeichert: Dieser Geldgeber hat für den Standort im gewählten Zeitraum schon eine Zusage. Ändern oder beenden Sie die bestehende.";
        }
        if (problem.Status == 409 && title.Contains("site is closed", StringComparison.OrdinalIgnoreCase))
        {
            return "Die Zusage wurde nicht gespeichert: Der Standort ist geschlossen und nimmt keine Zusagen mehr an.";
        }
        if (problem.Status == 409 && title.Contains("already ended", StringComparison.OrdinalIgnoreCase))
        {
            return "Diese Zusage ist bereits beendet.";
        }
        if (problem.Status == 409 && title.Contains("has ended", StringComparison.OrdinalIgnoreCase))
        {
            return "Diese Zusage ist beendet und kann nicht mehr geändert werden. Legen Sie stattdessen eine neue Zusage an.";
        }
        if (problem.Status == 409 && title.Contains("extend", StringComparison.OrdinalIgnoreCase))
        {
            return "Die Zusage wurde nicht beendet: Das gewählte Ende liegt nach ihrem bisherigen Ende. Um sie zu verlängern, ändern Sie die Zusage.";
        }
        if (problem.Status == 422 && title.Contains("funder", StringComparison.OrdinalIgnoreCase))
        {
            return "Diesen Geldgeber gibt es nicht. Bitte wählen Sie einen aus der Liste.";
        }
        if (problem.Status == 422)
        {
            return "Den Standort kennt der Finanzierungsdienst (noch) nicht. Ein neu eröffneter Standort erscheint dort nach wenigen Sekunden.";
        }
        if (problem.IsForbidden)
        {
            return "Zusagen dürfen nur Administratorinnen und Administratoren der Ems-Achse ändern.";
        }
        return "Die Zusage wurde nicht gespeichert. Bitte prüfen Sie Ihre Angaben.";
    }
}
