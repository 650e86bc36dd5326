using Dapper;

namespace EmsAchse.Directory.Benchmarks;

/// <summary>One typical directory query: the API's query string and the same filter for the naive baseline.</summary>
internal sealed record DirectoryQuery(string Name, string ApiPath, string? Term = null, string? Network = null, string? District = null, string? Region = null, string? Industry = null, int Page = 1)
{
    private const int PageSize = 50;

    // The naive version: every filter as plain SQL over a scan of the organisations (SQLite: NOT INDEXED;
    // PostgreSQL: index scans off for the session), text as LIKE '%term%' over name and town, OFFSET paging.
    private const string SqliteWhere = """
        FROM organizations o NOT INDEXED
        WHERE (@like IS NULL OR lower(o.name) LIKE @like OR lower(o.town) LIKE @like)
          AND (@district IS NULL OR o.district = @district)
          AND (@region IS NULL OR o.region = @region)
          AND (@industry IS NULL OR EXISTS (SELECT 1 FROM organization_industries i WHERE i.organization_id = o.id AND i.industry = @industry))
          AND (@network IS NULL OR EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = o.id AND m.network_slug = @network AND m.status = 'active'))
          AND EXISTS (SELECT 1 FROM memberships v WHERE v.organization_id = o.id AND v.status = 'active')
        """;

    private const string PostgresWhere = """
        FROM organizations o
        WHERE (@like::text IS NULL OR lower(o.name) LIKE @like OR lower(o.town) LIKE @like)
          AND (@district::text IS NULL OR o.district = @district)
          AND (@region::text IS NULL OR o.region = @region)
          AND (@industry::text IS NULL OR EXISTS (SELECT 1 FROM organization_industries i WHERE i.organization_id = o.id AND i.industry = @industry))
          AND (@network::text IS NULL OR EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = o.id AND m.network_slug = @network AND m.status = 'active'))
          AND EXISTS (SELECT 1 FROM memberships v WHERE v.organization_id = o.id AND v.status = 'active')
        """;

    private const string Columns = "o.id, o.name, o.kind, o.district, o.region, o.town, o.address, o.website, o.employees, o.version";

    public static IReadOnlyList<DirectoryQuery> All { get; } =
    [
        new("word", "/api/members/organizations?q=software", Term: "software"),
        new("word+network", "/api/members/organizations?q=logistik&network=logistikachse-ems", Term: "logistik", Network: "logistikachse-ems"),
        new("district", "/api/members/organizations?district=leer", District: "leer"),
        new("industry+region", "/api/members/organizations?industry=plastics&region=grafschaft-bentheim", Industry: "plastics", Region: "grafschaft-bentheim"),
        new("two-letter prefix", "/api/members/organizations?q=ha", Term: "ha"),
        new("no text, page 50", "/api/members/organizations?page=50", Page: 50),
    ];

    public (string Count, string Page, DynamicParameters Parameters) Naive(string engine)
    {
        var where = engine == "postgres" ? PostgresWhere : SqliteWhere;
        var args = new DynamicParameters();
        args.Add("like", Term is null ? null : $"%{Term}%");
        args.Add("district", District);
        args.Add("region", Region);
        args.Add("industry", Industry);
        args.Add("network", Network);
        args.Add("skip", (Page - 1) * PageSize);
        return ($"SELECT COUNT(*) {where}", $"SELECT {Columns} {where} ORDER BY o.name, o.id LIMIT {PageSize} OFFSET @skip", args);
    }
}
