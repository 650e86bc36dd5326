using System.Globalization;
using System.Text;

namespace EmsAchse.Members;

/// <summary>
/// Folds text for search and duplicate detection in C#, so both database engines see the same words:
/// lower case, punctuation to spaces, and German umlauts in both spellings ("Haselünne" is indexed as
/// "haseluenne" and "haselunne"). At the service's root because organisations' keys, the directory's search and
/// the memberships' name filter all fold alike, and none of those folders may import another that imports it back.
/// </summary>
public static class SearchText
{
    /// <summary>At most this many words of a query are used; the rest is ignored.</summary>
    public const int MaxQueryTerms = 8;

    /// <summary>The canonical form: umlauts spelled out (ä -> ae), other diacritics dropped, words joined by one space.</summary>
    public static string Canonical(string? text) => string.Join(' ', Words(text, expandUmlauts: true));

    /// <summary>The form with every diacritic dropped (ä -> a), as people type without a German keyboard.</summary>
    public static string Stripped(string? text) => string.Join(' ', Words(text, expandUmlauts: false));

    /// <summary>The words stored in the search column: every word in both spellings, each once.</summary>
    public static string Document(params IEnumerable<string?> parts)
    {
        var words = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            foreach (var word in Words(part, expandUmlauts: true).Concat(Words(part, expandUmlauts: false)))
            {
                if (seen.Add(word))
                {
                    words.Add(word);
                }
            }
        }
        return string.Join(' ', words);
    }

    /// <summary>
    /// The words of a query, each with its spellings (the typed word with diacritics dropped, and with
    /// umlauts spelled out); every word must match as a word prefix.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> QueryTerms(string? query)
    {
        var raw = (query ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var terms = new List<IReadOnlyList<string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in raw)
        {
            // A token such as "Lingen-Ems" folds into two words; each becomes its own term.
            var stripped = Words(token, expandUmlauts: false);
            var canonical = Words(token, expandUmlauts: true);
            for (var i = 0; i < stripped.Count; i++)
            {
                var variants = new List<string> { stripped[i] };
                if (i < canonical.Count && canonical.Count == stripped.Count && canonical[i] != stripped[i])
                {
                    variants.Add(canonical[i]);
                }
                if (seen.Add(string.Join('|', variants)) && terms.Count < MaxQueryTerms)
                {
                    terms.Add(variants);
                }
            }
        }
        return terms;
    }

    /// <summary>An FTS5 MATCH expression: every term as a prefix, spellings of a term OR-ed.</summary>
    public static string ToFts5(IReadOnlyList<IReadOnlyList<string>> terms) =>
        string.Join(" AND ", terms.Select(t => t.Count == 1 ? $"\"{t[0]}\"*" : "(" + string.Join(" OR ", t.Select(v => $"\"{v}\"*")) + ")"));

    /// <summary>A PostgreSQL tsquery (config 'simple'): every term as a prefix, spellings of a term OR-ed.</summary>
    public static string ToTsQuery(IReadOnlyList<IReadOnlyList<string>> terms) =>
        string.Join(" & ", terms.Select(t => t.Count == 1 ? $"{t[0]}:*" : "(" + string.Join(" | ", t.Select(v => $"{v}:*")) + ")"));

    // Words are runs of [a-z0-9] after folding; everything else separates words. This is also what
    // makes the terms safe inside MATCH and tsquery expressions.
    private static List<string> Words(string? text, bool expandUmlauts)
    {
        var words = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return words;
        }
        var folded = new StringBuilder(text.Length + 8);
        foreach (var c in text.ToLowerInvariant())
        {
            switch (c)
            {
                case 'ä': folded.Append(expandUmlauts ? "ae" : "a"); break;
                case 'ö': folded.Append(expandUmlauts ? "oe" : "o"); break;
                case 'ü': folded.Append(expandUmlauts ? "ue" : "u"); break;
                case 'ß': folded.Append("ss"); break;
                case 'æ': folded.Append("ae"); break;
                case 'ø': folded.Append('o'); break;
                case 'ł': folded.Append('l'); break;
                default: folded.Append(c); break;
            }
        }
        var current = new StringBuilder();
        foreach (var c in folded.ToString().Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }
        return words;
    }
}
