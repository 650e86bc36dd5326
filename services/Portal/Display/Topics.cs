namespace EmsAchse.Portal.Display;

/// <summary>A network's focus topics are free words; the common ones get their German spelling, the rest show as given.</summary>
public static class Topics
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["digitalisierung"] = "Digitalisierung",
        ["fachkraefte"] = "Fachkräfte",
        ["wind"] = "Windenergie",
        ["offshore"] = "Offshore",
        ["wasserstoff"] = "Wasserstoff",
        ["ports"] = "Häfen",
    };

    public static string Name(string topic) =>
        Names.TryGetValue(topic, out var name) ? name
        : Vocabulary.Known(Vocabulary.Industries, topic) is { } industry ? Vocabulary.Industry(industry)
        : topic;
}
