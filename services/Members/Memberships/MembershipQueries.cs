using System.Data.Common;
using Dapper;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Members.Memberships;

/// <summary>Membership list filters; an empty network list means every network. The visibility decides which rows and fields the caller gets.</summary>
public sealed record MembershipFilter(Guid? Organization, IReadOnlyList<string> Networks, string? Status, MembershipVisibility Visibility, string? NameContains = null);

internal static class MembershipQueries
{
    private const string SqliteWhere = """
        (@organization IS NULL OR m.organization_id = @organization)
        AND (@allNetworks = 1 OR m.network_slug IN @networks)
        AND (@status IS NULL OR m.status = @status)
        AND (@nameLike IS NULL OR o.name_key LIKE @nameLike)
        AND (@everything = 1 OR m.status IN ('active', 'ended') OR m.network_slug IN @decisionNetworks)
        """;

    private const string PostgresWhere = """
        (@organization::uuid IS NULL OR m.organization_id = @organization)
        AND (@allNetworks OR m.network_slug = ANY(@networks))
        AND (@status::text IS NULL OR m.status = @status)
        AND (@nameLike::text IS NULL OR o.name_key LIKE @nameLike)
        AND (@everything OR m.status IN ('active', 'ended') OR m.network_slug = ANY(@decisionNetworks))
        """;

    private const string SqlitePage = $"SELECT {MembershipStore.Columns} FROM memberships m JOIN organizations o ON o.id = m.organization_id WHERE {SqliteWhere} ORDER BY m.submitted, m.id LIMIT @take OFFSET @skip";
    private const string SqliteCount = $"SELECT COUNT(*) FROM memberships m JOIN organizations o ON o.id = m.organization_id WHERE {SqliteWhere}";
    private const string PostgresPage = $"SELECT {MembershipStore.Columns} FROM memberships m JOIN organizations o ON o.id = m.organization_id WHERE {PostgresWhere} ORDER BY m.submitted, m.id LIMIT @take OFFSET @skip";
    private const string PostgresCount = $"SELECT COUNT(*) FROM memberships m JOIN organizations o ON o.id = m.organization_id WHERE {PostgresWhere}";

    public static async Task<PagedList<MembershipView>> ListAsync(DbConnection connection, DatabaseEngine engine, MembershipFilter filter, PageRequest paging, CancellationToken ct)
    {
        var postgres = engine == DatabaseEngine.Postgres;
        var args = new DynamicParameters();
        args.Add("organization", filter.Organization);
        args.Add("allNetworks", filter.Networks.Count == 0);
        args.Add("networks", postgres ? filter.Networks.ToArray() : filter.Networks.ToList());
        args.Add("status", filter.Status);
        // The folded name holds only letters, digits and single spaces, so the folded text needs no LIKE escaping.
        var folded = SearchText.Canonical(filter.NameContains);
        args.Add("nameLike", folded.Length == 0 ? null : $"%{folded}%");
        // The statuses in the SQL are MembershipVisibility.PublicStatuses.
        args.Add("everything", filter.Visibility.SeesEverything);
        args.Add("decisionNetworks", postgres ? filter.Visibility.DecisionNetworks.ToArray() : filter.Visibility.DecisionNetworks.ToList());
        args.Add("take", paging.PageSize);
        args.Add("skip", paging.Offset);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(postgres ? PostgresCount : SqliteCount, args, cancellationToken: ct));
        var rows = await connection.QueryAsync<MembershipStore.MembershipRow>(new CommandDefinition(postgres ? PostgresPage : SqlitePage, args, cancellationToken: ct));
        return new PagedList<MembershipView>(rows.Select(r => filter.Visibility.Present(r.ToView())).ToList(), paging.Page, paging.PageSize, total);
    }

    public static Task<MembershipStore.MembershipRow?> FindAsync(DbConnection connection, Guid id, CancellationToken ct)
    {
        const string sql = $"SELECT {MembershipStore.Columns} FROM memberships m JOIN organizations o ON o.id = m.organization_id WHERE m.id = @id";
        return connection.QuerySingleOrDefaultAsync<MembershipStore.MembershipRow>(new CommandDefinition(sql, new { id }, cancellationToken: ct));
    }
}
