using Microsoft.Extensions.Options;

namespace EmsAchse.Portal.Services;

/// <summary>A block of a legal text: a heading (level 1 or 2) or a paragraph of lines.</summary>
public sealed record TextBlock(int HeadingLevel, IReadOnlyList<string> Lines);

/// <summary>
/// Impressum and Datenschutz as plain text files (Portal:LegalTextsPath, relative to the content root): "# " and
/// "## " start headings, blank lines separate paragraphs. Read on each request, so an edit shows without a restart.
/// </summary>
public sealed class LegalTexts(IOptions<PortalOptions> options, IWebHostEnvironment environment)
{
    public static readonly IReadOnlyList<string> Names = ["impressum", "datenschutz"];

    public string Folder => Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.LegalTextsPath));

    public async Task<IReadOnlyList<TextBlock>> ReadAsync(string name, CancellationToken ct)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Folder, name + ".txt"), ct);
        return Parse(text);
    }

    public static IReadOnlyList<TextBlock> Parse(string text)
    {
        var blocks = new List<TextBlock>();
        var paragraph = new List<string>();
        void Flush()
        {
            if (paragraph.Count > 0)
            {
                blocks.Add(new TextBlock(0, paragraph.ToList()));
                paragraph.Clear();
            }
        }
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.StartsWith("## ", StringComparison.Ordinal) || line.StartsWith("# ", StringComparison.Ordinal))
            {
                Flush();
                blocks.Add(new TextBlock(line.StartsWith("## ", StringComparison.Ordinal) ? 2 : 1, [line.TrimStart('#').Trim()]));
            }
            else if (line.Length == 0)
            {
                Flush();
            }
            else
            {
                paragraph.Add(line);
            }
        }
        Flush();
        return blocks;
    }
}
