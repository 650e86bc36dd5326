using EmsAchse.Contracts.Members;
using EmsAchse.Members.Memberships;
using EmsAchse.Members.Organizations;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Members.Seed;

/// <summary>
/// Writes generated organisations in batches: organisations, industries, contacts and active memberships,
/// with one statement per table and batch where the engine allows it, and MembershipActivated for each
/// membership through the outbox, so the other services count the members as after any approval.
/// </summary>
public static class OrganizationLoader
{
    /// <summary>Loads many organisations, one write transaction per batch.</summary>
    public static async Task<int> LoadBulkAsync(ServiceDatabase db, IEnumerable<GeneratedOrganization> organizations, DateOnly since, CancellationToken ct, int batchSize = 2000)
    {
        var total = 0;
        foreach (var batch in organizations.Chunk(batchSize))
        {
            total += await db.WriteAsync(tx => LoadBatchAsync(tx, batch, since), ct);
        }
        return total;
    }

    /// <summary>Inserts one batch in the caller's transaction; returns how many organisations it wrote.</summary>
    public static async Task<int> LoadBatchAsync(WriteTransaction tx, IReadOnlyList<GeneratedOrganization> batch, DateOnly since)
    {
        if (batch.Count == 0)
        {
            return 0;
        }
        var rows = batch as GeneratedOrganization[] ?? [.. batch];
        if (tx.Engine == DatabaseEngine.Postgres)
        {
            await PostgresBatchAsync(tx, rows, since);
        }
        else
        {
            await SqliteBatchAsync(tx, rows, since);
        }
        var byId = rows.ToDictionary(o => o.Id);
        foreach (var (membershipId, organizationId, network) in Memberships(rows))
        {
            var facts = byId[organizationId].Facts;
            await tx.PublishAsync(MembershipAggregate.Id(membershipId), new MembershipActivated(
                membershipId, organizationId, facts.Name, facts.Kind, facts.District, network, MembershipStatus.Active, since, null, 2, tx.Now));
        }
        return rows.Length;
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
            "INSERT INTO memberships (id, organization_id, network_slug, status, submitted, decided, decided_by, since, version) VALUES (@Id, @OrganizationId, @Network, 'active', @Now, @Now, 'demo seed', @Since, 2)",
            Memberships(batch).Select(m => new { m.Id, m.OrganizationId, m.Network, Now = now, Since = since }).ToList());
        await tx.ExecuteAsync(
            "INSERT INTO contacts (id, organization_id, name, email, phone, role, consent_to_publish, created_at) VALUES (@Id, @OrganizationId, @Name, @Email, @Phone, @Role, @ConsentToPublish, @Now)",
            Contacts(batch).Select(c => new { c.Id, c.OrganizationId, c.Contact.Name, c.Contact.Email, c.Contact.Phone, c.Contact.Role, c.Contact.ConsentToPublish, Now = now }).ToList());
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
            SELECT id, organization_id, network_slug, 'active', @now, @now, 'demo seed', @since, 2
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
        var contacts = Contacts(batch).ToArray();
        await tx.ExecuteAsync(
            """
            INSERT INTO contacts (id, organization_id, name, email, phone, role, consent_to_publish, created_at)
            SELECT id, organization_id, name, email, phone, role, consent, @now
            FROM unnest(@ids, @organizationIds, @names, @emails, @phones, @roles, @consents) AS t(id, organization_id, name, email, phone, role, consent)
            """,
            new
            {
                now = tx.Now,
                ids = contacts.Select(c => c.Id).ToArray(),
                organizationIds = contacts.Select(c => c.OrganizationId).ToArray(),
                names = contacts.Select(c => c.Contact.Name).ToArray(),
                emails = contacts.Select(c => c.Contact.Email).ToArray(),
                phones = contacts.Select(c => c.Contact.Phone).ToArray(),
                roles = contacts.Select(c => c.Contact.Role).ToArray(),
                consents = contacts.Select(c => c.Contact.ConsentToPublish).ToArray(),
            });
    }

    private static IEnumerable<(Guid Id, Guid OrganizationId, ContactFacts Contact)> Contacts(IEnumerable<GeneratedOrganization> batch) =>
        batch.Where(o => o.Contact is not null).Select(o => (DeterministicId(o.Id, 0xC0), o.Id, o.Contact!));

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
