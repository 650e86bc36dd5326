using EmsAchse.Contracts.Members;
using EmsAchse.Members.Memberships;
using EmsAchse.Members.Organizations;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Members.Seed;

/// <summary>Writes generated organisations: one by one with events (demo seed), or in bulk without events (benchmarks).</summary>
public static class OrganizationLoader
{
    /// <summary>
    /// Inserts the organisations with their contacts and active memberships, publishing
    /// MembershipActivated for each, so the networks service counts the members.
    /// </summary>
    public static async Task<int> LoadWithEventsAsync(WriteTransaction tx, IEnumerable<GeneratedOrganization> organizations, DateOnly since)
    {
        var count = 0;
        foreach (var o in organizations)
        {
            await OrganizationStore.InsertAsync(tx, o.Id, o.Facts);
            if (o.Contact is { } contact)
            {
                await OrganizationStore.InsertContactAsync(tx, DeterministicId(o.Id, 0xC0), o.Id, contact);
            }
            var n = 0;
            foreach (var network in o.Networks)
            {
                var membershipId = DeterministicId(o.Id, ++n);
                const string sql = """
                    INSERT INTO memberships (id, organization_id, network_slug, status, submitted, decided, decided_by, since, version)
                    VALUES (@membershipId, @organizationId, @network, @status, @now, @now, 'demo seed', @since, 2)
                    """;
                await tx.ExecuteAsync(sql, new { membershipId, organizationId = o.Id, network, status = MembershipStatus.Active, now = tx.Now, since });
                await tx.PublishAsync(MembershipAggregate.Id(membershipId), new MembershipActivated(
                    membershipId, o.Id, o.Facts.Name, o.Facts.Kind, o.Facts.District, network, MembershipStatus.Active, since, null, 2, tx.Now));
            }
            count++;
        }
        return count;
    }

    /// <summary>
    /// Inserts many organisations fast (benchmarks), without contacts and without events: the
    /// memberships are stored active, but other services do not hear of them.
    /// </summary>
    public static async Task<int> LoadBulkAsync(ServiceDatabase db, IEnumerable<GeneratedOrganization> organizations, DateOnly since, CancellationToken ct, int batchSize = 5000)
    {
        var total = 0;
        foreach (var batch in organizations.Chunk(batchSize))
        {
            await db.WriteAsync(tx => tx.Engine == DatabaseEngine.Postgres ? PostgresBatchAsync(tx, batch, since) : SqliteBatchAsync(tx, batch, since), ct);
            total += batch.Length;
        }
        return total;
    }

    private static async Task SqliteBatchAsync(WriteTransaction tx, GeneratedOrganization[] batch, DateOnly since)
    {
        var now = tx.Now;
        const string organizations = """
            INSERT INTO organizations (id, name, name_key, kind, district, region, town, town_key, address, website, employees, search_text, version, created_at, updated_at)
            VALUES (@Id, @Name, @NameKey, @Kind, @District, @Region, @Town, @TownKey, @Address, @Website, @Employees, @SearchDocument, 1, @Now, @Now)
            """;
        // Dapper runs the statement once per element, on one prepared command.
        await tx.ExecuteAsync(organizations, batch.Select(o => new
        {
            o.Id, o.Facts.Name, o.Facts.NameKey, o.Facts.Kind, o.Facts.District, o.Facts.Region, o.Facts.Town, o.Facts.TownKey,
            o.Facts.Address, o.Facts.Website, o.Facts.Employees, o.Facts.SearchDocument, Now = now,
        }).ToList());
        await tx.ExecuteAsync(
            "INSERT INTO organization_industries (organization_id, industry) VALUES (@Id, @Industry)",
            batch.SelectMany(o => o.Facts.Industries.Select(i => new { o.Id, Industry = i })).ToList());
        await tx.ExecuteAsync(
            "INSERT INTO memberships (id, organization_id, network_slug, status, submitted, decided, decided_by, since, version) VALUES (@Id, @OrganizationId, @Network, 'active', @Now, @Now, 'benchmark seed', @Since, 2)",
            Memberships(batch).Select(m => new { m.Id, m.OrganizationId, m.Network, Now = now, Since = since }).ToList());
    }

    private static async Task PostgresBatchAsync(WriteTransaction tx, GeneratedOrganization[] batch, DateOnly since)
    {
        // One statement per table and batch: arrays travel as parameters and unnest makes the rows.
        const string organizations = """
            INSERT INTO organizations (id, name, name_key, kind, district, region, town, town_key, address, website, employees, search_text, version, created_at, updated_at)
            SELECT id, name, name_key, kind, district, region, town, town_key, address, website, employees, search_text, 1, @now, @now
            FROM unnest(@ids, @names, @nameKeys, @kinds, @districts, @regions, @towns, @townKeys, @addresses, @websites, @employees, @searchTexts)
                AS t(id, name, name_key, kind, district, region, town, town_key, address, website, employees, search_text)
            """;
        await tx.ExecuteAsync(organizations, new
        {
            now = tx.Now,
            ids = batch.Select(o => o.Id).ToArray(),
            names = batch.Select(o => o.Facts.Name).ToArray(),
            nameKeys = batch.Select(o => o.Facts.NameKey).ToArray(),
            kinds = batch.Select(o => o.Facts.Kind).ToArray(),
            districts = batch.Select(o => o.Facts.District).ToArray(),
            regions = batch.Select(o => o.Facts.Region).ToArray(),
            towns = batch.Select(o => o.Facts.Town).ToArray(),
            townKeys = batch.Select(o => o.Facts.TownKey).ToArray(),
            addresses = batch.Select(o => o.Facts.Address).ToArray(),
            websites = batch.Select(o => o.Facts.Website).ToArray(),
            employees = batch.Select(o => o.Facts.Employees).ToArray(),
            searchTexts = batch.Select(o => o.Facts.SearchDocument).ToArray(),
        });
        var industries = batch.SelectMany(o => o.Facts.Industries.Select(i => (o.Id, i))).ToArray();
        await tx.ExecuteAsync(
            "INSERT INTO organization_industries (organization_id, industry) SELECT * FROM unnest(@ids, @codes)",
            new { ids = industries.Select(x => x.Id).ToArray(), codes = industries.Select(x => x.i).ToArray() });
        var memberships = Memberships(batch).ToArray();
        await tx.ExecuteAsync(
            """
            INSERT INTO memberships (id, organization_id, network_slug, status, submitted, decided, decided_by, since, version)
            SELECT id, organization_id, network_slug, 'active', @now, @now, 'benchmark seed', @since, 2
            FROM unnest(@ids, @organizationIds, @networks) AS t(id, organization_id, network_slug)
            """,
            new
            {
                now = tx.Now,
                since,
                ids = memberships.Select(m => m.Id).ToArray(),
                organizationIds = memberships.Select(m => m.OrganizationId).ToArray(),
                networks = memberships.Select(m => m.Network).ToArray(),
            });
    }

    private static IEnumerable<(Guid Id, Guid OrganizationId, string Network)> Memberships(IEnumerable<GeneratedOrganization> batch) =>
        batch.SelectMany(o => o.Networks.Select((network, i) => (DeterministicId(o.Id, i + 1), o.Id, network)));

    // Ids derived from the organisation's, so the same seed gives the same memberships and contacts.
    private static Guid DeterministicId(Guid organizationId, int salt)
    {
        Span<byte> bytes = stackalloc byte[16];
        organizationId.TryWriteBytes(bytes);
        bytes[15] ^= (byte)salt;
        bytes[14] ^= 0x5A;
        return new Guid(bytes);
    }
}
