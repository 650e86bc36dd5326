using Microsoft.AspNetCore.WebUtilities;

namespace EmsAchse.Portal.Display;

/// <summary>One entry of a pager: a page number with its URL, or a gap ("…") between distant pages.</summary>
public sealed record PageLink(int Page, string Href, bool IsCurrent, bool IsGap = false);

/// <summary>
/// The pager of a paged list: the first and last page, the current one with its neighbours, gaps between. Links
/// keep every other query parameter, so a bookmarked result page shows the same filters.
/// </summary>
public static class PageLinks
{
    public const string PageParameter = "seite";

    public static int PageCount(long total, int pageSize) => total <= 0 ? 1 : (int)((total + pageSize - 1) / pageSize);

    /// <param name="path">the page's path, e.g. "/mitglieder"</param>
    /// <param name="query">the other parameters of the URL (empty values are left out)</param>
    public static IReadOnlyList<PageLink> For(string path, IReadOnlyDictionary<string, string?> query, int page, int pageSize, long total, int neighbours = 2)
    {
        var count = PageCount(total, pageSize);
        if (count <= 1)
        {
            return [];
        }
        var current = Math.Clamp(page, 1, count);
        var pages = new SortedSet<int> { 1, count };
        for (var p = current - neighbours; p <= current + neighbours; p++)
        {
            if (p >= 1 && p <= count)
            {
                pages.Add(p);
            }
        }
        var links = new List<PageLink>();
        var previous = 0;
        foreach (var p in pages)
        {
            if (p > previous + 1)
            {
                links.Add(new PageLink(0, "", IsCurrent: false, IsGap: true));
            }
            links.Add(new PageLink(p, Href(path, query, p), p == current));
            previous = p;
        }
        return links;
    }

    /// <summary>The URL of one page: page 1 has no page parameter, so it is the same URL as the list itself.</summary>
    public static string Href(string path, IReadOnlyDictionary<string, string?> query, int page)
    {
        var parameters = query
            .Where(kv => !string.IsNullOrWhiteSpace(kv.Value) && kv.Key != PageParameter)
            .Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value!.Trim()))
            .ToList();
        if (page > 1)
        {
            parameters.Add(new(PageParameter, page.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return QueryHelpers.AddQueryString(path, parameters);
    }
}
