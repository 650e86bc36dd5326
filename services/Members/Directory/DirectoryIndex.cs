using System.Text;
using Dapper;
using EmsAchse.Members.Organizations;
using EmsAchse.Platform.Hosting;

namespace EmsAchse.Members.Directory;

/// <summary>
/// The public directory, answered from <c>organization_directory</c>: an index of the listed organisations only, whose
/// rows hold their words and their filters as tokens (migration 0006 of each engine). On SQLite it is an FTS5 table: a
/// query is one MATCH, its total FTS5's count of that MATCH, and its page either sorts the hits by name or walks the
/// listed organisations in name order and keeps those among the hits, whichever visits fewer rows. On PostgreSQL it is
/// a narrow table with a GIN-indexed tsvector and its own name order.
/// </summary>
public static class DirectoryIndex
{
    /// <summary>
    /// Below this many hits the page sorts them: a sort of a thousand rows costs about what walking the name order
    /// does when one listed organisation in twenty or more is a hit (measured at 100,000 organisations).
    /// </summary>
    public const long WalkFromHits = 1_000;

    /// <summary>The MATCH of a public query with no text and no filter: every listed organisation.</summary>
    public const string MatchAll = "\"_all\"";

    /// <summary>
    /// The filter tokens of a public query (<c>_n_it-achse</c>, <c>_d_leer</c>, ...; none for text alone), or null when the
    /// general SQL serves it: the staff's searches, a lone column filter, a code that is not a plain token.
    /// </summary>
    public static IReadOnlyList<string>? Tokens(DirectoryFilter filter)
    {
        if (filter.Audience is { } audience && (audience.Everyone || audience.PendingNetworks.Count > 0))
        {
            return null;
        }
        if (filter.Terms.Count == 0 && filter.Network is null && filter.Industry is null && (filter.District ?? filter.Region ?? filter.Kind) is not null)
        {
            // A district, region or kind alone counts and walks its own index (ix_organizations_listed_district and
            // the like), a little cheaper than a list of its hits.
            return null;
        }
        var tokens = new List<string>();
        foreach (var (prefix, code) in new[] { ("n", filter.Network), ("d", filter.District), ("r", filter.Region), ("i", filter.Industry), ("k", filter.Kind) })
        {
            if (code is null)
            {
                continue;
            }
            // Codes of the vocabulary are [a-z0-9-]; a network slug is taken as given, and one with any other character
            // cannot name a network, so it goes the general way (which simply finds nothing).
            if (!IsToken(code))
            {
                return null;
            }
            tokens.Add($"_{prefix}_{code}");
        }
        return tokens;
    }

    /// <summary>The FTS5 expression of a public query on SQLite, or null when the general SQL serves it (see <see cref="Tokens"/>).</summary>
    public static string? Match(DirectoryFilter filter)
    {
        if (Tokens(filter) is not { } tokens)
        {
            return null;
        }
        var parts = new List<string>();
        if (filter.Terms.Count > 0)
        {
            parts.Add(SearchText.ToFts5(filter.Terms));
        }
        parts.AddRange(tokens.Select(t => $"\"{t}\""));
        return parts.Count == 0 ? MatchAll : string.Join(" AND ", parts);
    }

    /// <summary>
    /// PostgreSQL's total and page of a public query in one batch, from its <c>organization_directory</c> table (GIN over
    /// words and tokens; the planner chooses between walking its name order and sorting the hits); null when the general
    /// SQL serves it, which with no filter at all is the listed name order's own index, counted index-only.
    /// </summary>
    public static (string Sql, DynamicParameters Parameters)? PostgresBatch(DirectoryFilter filter, PageRequest paging)
    {
        if (Tokens(filter) is not { } tokens || (tokens.Count == 0 && filter.Terms.Count == 0))
        {
            return null;
        }
        var args = new DynamicParameters();
        args.Add("take", paging.PageSize);
        args.Add("skip", paging.Offset);
        var query = new List<string>();
        if (filter.Terms.Count > 0)
        {
            query.Add("to_tsquery('simple', @match)");
            args.Add("match", SearchText.ToTsQuery(filter.Terms));
        }
        if (tokens.Count > 0)
        {
            // Cast, not to_tsquery: the tokens are lexemes as stored, which the parser would split at '_' and '-'.
            query.Add("@tokens::tsquery");
            args.Add("tokens", string.Join(" & ", tokens.Select(t => $"'{t}'")));
        }
        var hit = $"d.terms @@ ({string.Join(" && ", query)})";
        return ($"""
            SELECT COUNT(*) FROM organization_directory d WHERE {hit};
            SELECT {OrganizationStore.OrganizationColumns}
            FROM (SELECT d.id, d.name_key FROM organization_directory d WHERE {hit} ORDER BY d.name_key, d.id LIMIT @take OFFSET @skip) p
            JOIN organizations o ON o.id = p.id
            ORDER BY p.name_key, p.id
            """, args);
    }

    /// <summary>Walk the name order (true) or sort the hits (false) for a page ending at <paramref name="pageEnd"/>.</summary>
    /// <remarks>
    /// Walking visits about pageEnd × listed / hits rows, so it wins for many hits and early pages; sorting visits
    /// every hit once. Half the hits is where a page's end makes the walk cover most of the listed rows.
    /// </remarks>
    public static bool WalksNameOrder(long hits, long pageEnd) => hits >= WalkFromHits && pageEnd * 2 <= hits;

    public const string CountSql = "SELECT COUNT(*) FROM organization_directory WHERE organization_directory MATCH @match";

    /// <summary>The page's SQL: with no filter at all the listed name order alone; else the hits, sorted or walked.</summary>
    public static string PageSql(string match, long hits, PageRequest paging)
    {
        var sql = new StringBuilder($"SELECT {OrganizationStore.OrganizationColumns} FROM organizations o");
        const string hit = "o.seq IN (SELECT d.rowid FROM organization_directory d WHERE organization_directory MATCH @match)";
        if (match == MatchAll)
        {
            sql.Append(" INDEXED BY ix_organizations_listed_order WHERE o.listed = 1");
        }
        else if (WalksNameOrder(hits, paging.Offset + paging.PageSize))
        {
            sql.Append(" INDEXED BY ix_organizations_listed_order WHERE o.listed = 1 AND ").Append(hit);
        }
        else
        {
            sql.Append(" WHERE ").Append(hit);
        }
        return sql.Append(" ORDER BY o.name_key, o.id LIMIT @take OFFSET @skip").ToString();
    }

    private static bool IsToken(string code) => code.Length > 0 && code.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
