using System.Text;
using EmsAchse.Members.Organizations;
using EmsAchse.Platform.Hosting;

namespace EmsAchse.Members.Directory;

/// <summary>
/// The public directory on SQLite, answered from <c>organization_directory</c>: a full-text index of the listed
/// organisations only, whose rows hold their words and their filters as tokens (migration 0006). A query is one
/// MATCH; its total is FTS5's count of that MATCH, and its page either sorts the hits by name or walks the listed
/// organisations in name order and keeps those among the hits, whichever visits fewer rows.
/// </summary>
public static class DirectoryIndex
{
    /// <summary>
    /// Below this many hits the page sorts them: a sort of a thousand rows costs about what walking the name order
    /// does when one listed organisation in twenty or more is a hit (measured at 100,000 organisations).
    /// </summary>
    public const long WalkFromHits = 1_000;

    /// <summary>The FTS5 expression of a public query, or null when the general SQL serves it: the staff's searches, a lone column filter, a code that is not a plain token.</summary>
    public static string? Match(DirectoryFilter filter)
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
        var parts = new List<string>();
        if (filter.Terms.Count > 0)
        {
            parts.Add(SearchText.ToFts5(filter.Terms));
        }
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
            parts.Add($"\"_{prefix}_{code}\"");
        }
        return parts.Count == 0 ? "\"_all\"" : string.Join(" AND ", parts);
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
        if (match == "\"_all\"")
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
