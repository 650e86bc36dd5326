using System.Data.Common;
using Dapper;
using EmsAchse.Members.Access;
using EmsAchse.Members.Organizations;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Members.Directory;

/// <summary>The directory's filters, already validated and resolved to codes.</summary>
public sealed record DirectoryFilter(
    IReadOnlyList<IReadOnlyList<string>> Terms,
    string? Network = null,
    string? District = null,
    string? Region = null,
    string? Industry = null,
    string? Kind = null,
    DirectoryAudience? Audience = null);

/// <summary>
/// Whom the directory lists: the public sees organisations with an active membership; with
/// ?includeUnlisted=true an admin sees every organisation, a network manager also the applicants to
/// the networks they manage.
/// </summary>
public sealed record DirectoryAudience(bool Everyone, IReadOnlyList<string> PendingNetworks)
{
    public static readonly DirectoryAudience Public = new(false, []);

    /// <summary>The audience of ?includeUnlisted=true, or null when the caller is not staff.</summary>
    public static DirectoryAudience? Unlisted(CallerRights caller) =>
        caller.IsAdmin ? new(true, [])
        : caller.ManagedNetworks.Count > 0 ? new(false, caller.ManagedNetworks.Order(StringComparer.Ordinal).ToList())
        : null;
}

/// <summary>
/// The public directory search behind one interface: FTS5 on SQLite, a GIN-indexed tsvector on
/// PostgreSQL, both over the same folded search column (see <see cref="SearchText"/>). Order: folded
/// name, then id, so pages are stable.
/// </summary>
public static class DirectoryQuery
{
    // Filters use "@x IS NULL OR ..." so each engine has one SQL text with and one without a text search.
    private const string SqliteFilters = """
        (@district IS NULL OR o.district = @district)
        AND (@region IS NULL OR o.region = @region)
        AND (@kind IS NULL OR o.kind = @kind)
        AND (@industry IS NULL OR EXISTS (SELECT 1 FROM organization_industries i WHERE i.organization_id = o.id AND i.industry = @industry))
        AND (@network IS NULL OR EXISTS (SELECT 1 FROM memberships m WHERE m.network_slug = @network AND m.status = 'active' AND m.organization_id = o.id))
        AND (@everyone = 1
             OR EXISTS (SELECT 1 FROM memberships v WHERE v.organization_id = o.id AND v.status = 'active')
             OR EXISTS (SELECT 1 FROM memberships v WHERE v.organization_id = o.id AND v.status = 'applied' AND v.network_slug IN @pending))
        """;

    private const string PostgresFilters = """
        (@district::text IS NULL OR o.district = @district)
        AND (@region::text IS NULL OR o.region = @region)
        AND (@kind::text IS NULL OR o.kind = @kind)
        AND (@industry::text IS NULL OR EXISTS (SELECT 1 FROM organization_industries i WHERE i.organization_id = o.id AND i.industry = @industry))
        AND (@network::text IS NULL OR EXISTS (SELECT 1 FROM memberships m WHERE m.network_slug = @network AND m.status = 'active' AND m.organization_id = o.id))
        AND (@everyone
             OR EXISTS (SELECT 1 FROM memberships v WHERE v.organization_id = o.id AND v.status = 'active')
             OR EXISTS (SELECT 1 FROM memberships v WHERE v.organization_id = o.id AND v.status = 'applied' AND v.network_slug = ANY(@pending)))
        """;

    private const string SqliteText = $"""
        SELECT {OrganizationStore.OrganizationColumns}
        FROM organization_search s JOIN organizations o ON o.seq = s.rowid
        WHERE organization_search MATCH @match AND {SqliteFilters}
        ORDER BY o.name_key, o.id LIMIT @take OFFSET @skip
        """;

    private const string SqliteTextCount = $"""
        SELECT COUNT(*) FROM organization_search s JOIN organizations o ON o.seq = s.rowid
        WHERE organization_search MATCH @match AND {SqliteFilters}
        """;

    private const string SqliteAll = $"""
        SELECT {OrganizationStore.OrganizationColumns} FROM organizations o
        WHERE {SqliteFilters}
        ORDER BY o.name_key, o.id LIMIT @take OFFSET @skip
        """;

    private const string SqliteAllCount = $"SELECT COUNT(*) FROM organizations o WHERE {SqliteFilters}";

    private const string PostgresText = $"""
        SELECT {OrganizationStore.OrganizationColumns} FROM organizations o
        WHERE o.search_vector @@ to_tsquery('simple', @match) AND {PostgresFilters}
        ORDER BY o.name_key COLLATE "C", o.id LIMIT @take OFFSET @skip
        """;

    private const string PostgresTextCount = $"""
        SELECT COUNT(*) FROM organizations o
        WHERE o.search_vector @@ to_tsquery('simple', @match) AND {PostgresFilters}
        """;

    private const string PostgresAll = $"""
        SELECT {OrganizationStore.OrganizationColumns} FROM organizations o
        WHERE {PostgresFilters}
        ORDER BY o.name_key COLLATE "C", o.id LIMIT @take OFFSET @skip
        """;

    private const string PostgresAllCount = $"SELECT COUNT(*) FROM organizations o WHERE {PostgresFilters}";

    /// <summary>The SQL of a page and of its total for this engine and filter (also what the query-plan tests explain).</summary>
    public static (string Page, string Count, DynamicParameters Parameters) Build(DatabaseEngine engine, DirectoryFilter filter, PageRequest paging)
    {
        var text = filter.Terms.Count > 0;
        var postgres = engine == DatabaseEngine.Postgres;
        var args = new DynamicParameters();
        args.Add("district", filter.District);
        args.Add("region", filter.Region);
        args.Add("kind", filter.Kind);
        args.Add("industry", filter.Industry);
        args.Add("network", filter.Network);
        var audience = filter.Audience ?? DirectoryAudience.Public;
        args.Add("everyone", audience.Everyone);
        args.Add("pending", postgres ? audience.PendingNetworks.ToArray() : audience.PendingNetworks.ToList());
        args.Add("take", paging.PageSize);
        args.Add("skip", paging.Offset);
        if (text)
        {
            args.Add("match", postgres ? SearchText.ToTsQuery(filter.Terms) : SearchText.ToFts5(filter.Terms));
        }
        return (postgres, text) switch
        {
            (true, true) => (PostgresText, PostgresTextCount, args),
            (true, false) => (PostgresAll, PostgresAllCount, args),
            (false, true) => (SqliteText, SqliteTextCount, args),
            (false, false) => (SqliteAll, SqliteAllCount, args),
        };
    }

    public static async Task<PagedList<OrganizationView>> SearchAsync(DbConnection connection, DatabaseEngine engine, DirectoryFilter filter, PageRequest paging, CancellationToken ct)
    {
        var (page, count, args) = Build(engine, filter, paging);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(count, args, cancellationToken: ct));
        var rows = total == 0 || paging.Offset >= total
            ? []
            : (await connection.QueryAsync<OrganizationStore.OrganizationRow>(new CommandDefinition(page, args, cancellationToken: ct))).ToList();
        var items = await OrganizationStore.ToViewsAsync(connection, engine, rows, ct);
        return new PagedList<OrganizationView>(items, paging.Page, paging.PageSize, total);
    }
}
