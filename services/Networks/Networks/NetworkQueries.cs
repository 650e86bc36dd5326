using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace EmsAchse.Networks.Networks;

public sealed record SiteView(
    Guid Id,
    string NetworkSlug,
    string Name,
    string Town,
    string District,
    string? Address,
    string Status,
    DateOnly Opened,
    DateOnly? Closed,
    int FundingCoverageBasisPoints);

public sealed record NetworkView(
    string Slug,
    string Name,
    string Description,
    IReadOnlyList<string> Topics,
    DateOnly? Founded,
    string Status,
    IReadOnlyList<SiteView> Sites,
    long ActiveMemberCount,
    long Version,
    DateOnly? DissolvedOn);

/// <summary>Reads of the catalogue, with the read models of members and funding joined in.</summary>
public static class NetworkQueries
{
    private sealed class NetworkRow
    {
        public string Slug { get; init; } = "";
        public string Name { get; init; } = "";
        public string Description { get; init; } = "";
        public string Topics { get; init; } = "[]";
        public DateOnly? Founded { get; init; }
        public string Status { get; init; } = "";
        public DateOnly? DissolvedOn { get; init; }
        public long Version { get; init; }
        public long ActiveMemberCount { get; init; }
    }

    private sealed class SiteRow
    {
        public Guid Id { get; init; }
        public string NetworkSlug { get; init; } = "";
        public string Name { get; init; } = "";
        public string Town { get; init; } = "";
        public string District { get; init; } = "";
        public string? Address { get; init; }
        public string Status { get; init; } = "";
        public DateOnly Opened { get; init; }
        public DateOnly? Closed { get; init; }
        public int Coverage { get; init; }
    }

    private const string NetworkColumns = """
        n.slug AS Slug, n.name AS Name, n.description AS Description, n.topics AS Topics, n.founded AS Founded,
        n.status AS Status, n.dissolved_on AS DissolvedOn, n.version AS Version,
        (SELECT COUNT(DISTINCT m.organization_id) FROM network_members m WHERE m.network_slug = n.slug AND m.status = 'active') AS ActiveMemberCount
        """;

    private const string SiteColumns = """
        s.id AS Id, s.network_slug AS NetworkSlug, s.name AS Name, s.town AS Town, s.district AS District,
        s.address AS Address, s.status AS Status, s.opened AS Opened, s.closed AS Closed,
        COALESCE(f.coverage_basis_points, 0) AS Coverage
        """;

    public static async Task<IReadOnlyList<NetworkView>> ListAsync(DbConnection connection, CancellationToken ct)
    {
        var networks = await connection.QueryAsync<NetworkRow>(new CommandDefinition(
            $"SELECT {NetworkColumns} FROM networks n ORDER BY n.name", cancellationToken: ct));
        var sites = (await connection.QueryAsync<SiteRow>(new CommandDefinition(
            $"SELECT {SiteColumns} FROM sites s LEFT JOIN site_funding f ON f.site_id = s.id ORDER BY s.opened, s.name", cancellationToken: ct)))
            .ToLookup(s => s.NetworkSlug);
        return networks.Select(n => ToView(n, sites[n.Slug])).ToList();
    }

    public static async Task<NetworkView?> FindAsync(DbConnection connection, string slug, CancellationToken ct, DbTransaction? transaction = null)
    {
        var network = await connection.QuerySingleOrDefaultAsync<NetworkRow>(new CommandDefinition(
            $"SELECT {NetworkColumns} FROM networks n WHERE n.slug = @slug", new { slug }, transaction, cancellationToken: ct));
        if (network is null)
        {
            return null;
        }
        var sites = await connection.QueryAsync<SiteRow>(new CommandDefinition(
            $"SELECT {SiteColumns} FROM sites s LEFT JOIN site_funding f ON f.site_id = s.id WHERE s.network_slug = @slug ORDER BY s.opened, s.name",
            new { slug }, transaction, cancellationToken: ct));
        return ToView(network, sites);
    }

    public static async Task<SiteView?> FindSiteAsync(DbConnection connection, string slug, Guid siteId, CancellationToken ct)
    {
        var site = await connection.QuerySingleOrDefaultAsync<SiteRow>(new CommandDefinition(
            $"SELECT {SiteColumns} FROM sites s LEFT JOIN site_funding f ON f.site_id = s.id WHERE s.network_slug = @slug AND s.id = @siteId",
            new { slug, siteId }, cancellationToken: ct));
        return site is null ? null : ToView(site);
    }

    private static SiteView ToView(SiteRow s) =>
        new(s.Id, s.NetworkSlug, s.Name, s.Town, s.District, s.Address, s.Status, s.Opened, s.Closed, s.Coverage);

    private static NetworkView ToView(NetworkRow n, IEnumerable<SiteRow> sites) =>
        new(
            n.Slug,
            n.Name,
            n.Description,
            JsonSerializer.Deserialize<string[]>(n.Topics) ?? [],
            n.Founded,
            n.Status,
            sites.Select(ToView).ToList(),
            n.ActiveMemberCount,
            n.Version,
            n.DissolvedOn);
}
