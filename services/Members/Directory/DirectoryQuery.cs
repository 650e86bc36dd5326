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
/// name, then id, so pages are stable. The SQL names only the filters given: a predicate such as
/// "@x IS NULL OR ..." keeps SQLite's planner from using the index behind it, because it cannot see the
/// parameter's value. Who is listed reads the <c>listed</c> column (kept by triggers on memberships).
/// </summary>
public static class DirectoryQuery
{
    /// <summary>
    /// The general SQL of a page and of its total for this engine and filter (also what the query-plan tests explain):
    /// the staff's searches, and the public ones that <see cref="DirectoryIndex"/> leaves to it (no filter at all on
    /// PostgreSQL, a lone district, region or kind).
    /// </summary>
    public static (string Page, string Count, DynamicParameters Parameters) Build(DatabaseEngine engine, DirectoryFilter filter, PageRequest paging)
    {
        var postgres = engine == DatabaseEngine.Postgres;
        var args = new DynamicParameters();
        var where = new List<string>();
        void ColumnIs(string column, string? value)
        {
            if (value is not null)
            {
                where.Add($"o.{column} = @{column}");
                args.Add(column, value);
            }
        }
        ColumnIs("district", filter.District);
        ColumnIs("region", filter.Region);
        ColumnIs("kind", filter.Kind);
        if (filter.Industry is not null)
        {
            // Alone, the industry's index drives; beside a district, region or kind, that index drives in name order
            // and each row probes its industries (a page then stops after its rows instead of sorting every match).
            where.Add(filter.District is null && filter.Region is null && filter.Kind is null
                ? "o.id IN (SELECT i.organization_id FROM organization_industries i WHERE i.industry = @industry)"
                : "EXISTS (SELECT 1 FROM organization_industries i WHERE i.organization_id = o.id AND i.industry = @industry)");
            args.Add("industry", filter.Industry);
        }
        if (filter.Network is not null)
        {
            where.Add("o.id IN (SELECT m.organization_id FROM memberships m WHERE m.network_slug = @network AND m.status = 'active')");
            args.Add("network", filter.Network);
        }
        var audience = filter.Audience ?? DirectoryAudience.Public;
        if (!audience.Everyone)
        {
            var listed = postgres ? "o.listed" : "o.listed = 1";
            if (audience.PendingNetworks.Count == 0)
            {
                where.Add(listed);
            }
            else
            {
                where.Add($"({listed} OR o.id IN (SELECT v.organization_id FROM memberships v WHERE v.status = 'applied' AND v.network_slug {(postgres ? "= ANY(@pending)" : "IN @pending")}))");
                args.Add("pending", postgres ? audience.PendingNetworks.ToArray() : audience.PendingNetworks.ToList());
            }
        }
        if (filter.Terms.Count > 0)
        {
            where.Add(postgres
                ? "o.search_vector @@ to_tsquery('simple', @match)"
                // The hits' rowids, then a narrow covering index from rowid to listed and order (not the wide rows).
                : "o.seq IN (SELECT s.rowid FROM organization_search s WHERE organization_search MATCH @match)");
            args.Add("match", postgres ? SearchText.ToTsQuery(filter.Terms) : SearchText.ToFts5(filter.Terms));
        }
        args.Add("take", paging.PageSize);
        args.Add("skip", paging.Offset);
        var condition = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        var order = postgres ? "o.name_key COLLATE \"C\", o.id" : "o.name_key, o.id";
        return (
            $"SELECT {OrganizationStore.OrganizationColumns} FROM organizations o{condition} ORDER BY {order} LIMIT @take OFFSET @skip",
            $"SELECT COUNT(*) FROM organizations o{condition}",
            args);
    }

    public static async Task<PagedList<OrganizationView>> SearchAsync(DbConnection connection, DatabaseEngine engine, DirectoryFilter filter, PageRequest paging, CancellationToken ct)
    {
        long total;
        List<OrganizationStore.OrganizationRow> rows;
        if (engine == DatabaseEngine.Sqlite && DirectoryIndex.Match(filter) is { } match)
        {
            // The total first: it decides how the page is found (an in-process round trip costs nothing here).
            total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(DirectoryIndex.CountSql, new { match }, cancellationToken: ct));
            rows = total == 0 ? [] : (await connection.QueryAsync<OrganizationStore.OrganizationRow>(new CommandDefinition(
                DirectoryIndex.PageSql(match, total, paging), new { match, take = paging.PageSize, skip = paging.Offset }, cancellationToken: ct))).ToList();
        }
        else
        {
            var (batch, args) = engine == DatabaseEngine.Postgres && DirectoryIndex.PostgresBatch(filter, paging) is { } indexed ? indexed : General();
            // The total and the page in one batch (one round trip); a page past the end is simply empty.
            await using var results = await connection.QueryMultipleAsync(new CommandDefinition(batch, args, cancellationToken: ct));
            total = await results.ReadSingleAsync<long>();
            rows = (await results.ReadAsync<OrganizationStore.OrganizationRow>()).ToList();
        }
        var items = await OrganizationStore.ToViewsAsync(connection, engine, rows, ct);
        return new PagedList<OrganizationView>(items, paging.Page, paging.PageSize, total);

        (string, DynamicParameters) General()
        {
            var (page, count, parameters) = Build(engine, filter, paging);
            return ($"{count};\n{page}", parameters);
        }
    }
}
