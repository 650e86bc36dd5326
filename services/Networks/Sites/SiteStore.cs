using EmsAchse.Contracts.Networks;
using EmsAchse.Networks.Networks;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Networks.Sites;

/// <summary>A site's row as a write transaction sees it.</summary>
internal sealed class SiteState
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
    public long Version { get; init; }
}

internal static class SiteStore
{
    private const string Columns = """
        SELECT id AS Id, network_slug AS NetworkSlug, name AS Name, town AS Town, district AS District, address AS Address,
               status AS Status, opened AS Opened, closed AS Closed, version AS Version
        FROM sites
        """;

    public const string SelectAll = Columns + " ORDER BY id";

    public const string SelectOpenOfNetwork = Columns + " WHERE network_slug = @slug AND status = 'open' ORDER BY id";

    private const string SelectOne = Columns + " WHERE id = @siteId AND network_slug = @slug";

    public static Task<SiteState?> LockAsync(WriteTransaction tx, string slug, Guid siteId) =>
        tx.QuerySingleOrDefaultAsync<SiteState>(SelectOne + tx.ForUpdate, new { slug, siteId });

    /// <summary>The status of the network's site, or null when the network has no such site.</summary>
    public static Task<string?> StatusAsync(WriteTransaction tx, string slug, Guid siteId) =>
        tx.QuerySingleOrDefaultAsync<string>("SELECT status FROM sites WHERE id = @siteId AND network_slug = @slug", new { siteId, slug });

    /// <summary>Whether another open site of the network (not <paramref name="except"/>; Guid.Empty for none) carries the name, case-insensitively.</summary>
    public static async Task<bool> OpenNameTakenAsync(WriteTransaction tx, string slug, string name, Guid except)
    {
        const string sql = """
            SELECT COUNT(*) FROM sites
            WHERE network_slug = @slug AND lower(name) = lower(@name) AND status = 'open' AND id <> @except
            """;
        return await tx.ExecuteScalarAsync<long>(sql, new { slug, name, except }) > 0;
    }

    /// <summary>Closes the site on the date and announces it with its full state.</summary>
    public static async Task<SiteClosed> CloseAsync(WriteTransaction tx, SiteState site, DateOnly closed)
    {
        var version = AggregateVersion.Next(site.Version);
        const string sql = "UPDATE sites SET status = 'closed', closed = @closed, version = @version WHERE id = @id";
        await tx.ExecuteAsync(sql, new { id = site.Id, closed, version });
        var evt = new SiteClosed(site.Id, site.NetworkSlug, site.Name, site.Town, site.District, site.Address, SiteStatus.Closed, site.Opened, closed, version, tx.Now);
        await tx.PublishAsync(NetworkAggregate.SiteId(site.Id), evt);
        return evt;
    }
}
