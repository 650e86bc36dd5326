using System.Data.Common;
using Dapper;
using EmsAchse.Members.Memberships;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Members.Organizations;

/// <summary>A contact person; in public views only those who consented appear.</summary>
public sealed record ContactView(Guid Id, string Name, string? Email, string? Phone, string? Role, bool ConsentToPublish);

/// <summary>An organisation as the API shows it; contacts are the published ones only.</summary>
public sealed record OrganizationView(
    Guid Id,
    string Name,
    string Kind,
    string District,
    string Region,
    string Town,
    string? Address,
    string? Website,
    IReadOnlyList<string> Industries,
    string? Employees,
    IReadOnlyList<string> Networks,
    IReadOnlyList<ContactView> Contacts,
    long Version);

/// <summary>The SQL of organisations and contacts: writes inside a transaction, reads on any connection.</summary>
internal static class OrganizationStore
{
    internal sealed class OrganizationRow
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public string District { get; init; } = "";
        public string Region { get; init; } = "";
        public string Town { get; init; } = "";
        public string? Address { get; init; }
        public string? Website { get; init; }
        public string? Employees { get; init; }
        public long Version { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public DateTimeOffset? ErasedAt { get; init; }
    }

    internal sealed class ContactRow
    {
        public Guid Id { get; init; }
        public Guid OrganizationId { get; init; }
        public string Name { get; init; } = "";
        public string? Email { get; init; }
        public string? Phone { get; init; }
        public string? Role { get; init; }
        public bool ConsentToPublish { get; init; }
        public DateTimeOffset CreatedAt { get; init; }

        public ContactView ToView() => new(Id, Name, Email, Phone, Role, ConsentToPublish);
    }

    private sealed class CodeRow
    {
        public Guid OrganizationId { get; init; }
        public string Code { get; init; } = "";
    }

    internal const string OrganizationColumns = """
        o.id AS Id, o.name AS Name, o.kind AS Kind, o.district AS District, o.region AS Region, o.town AS Town,
        o.address AS Address, o.website AS Website, o.employees AS Employees, o.version AS Version,
        o.created_at AS CreatedAt, o.updated_at AS UpdatedAt, o.erased_at AS ErasedAt
        """;

    private const string ListedContact = "EXISTS (SELECT 1 FROM memberships a WHERE a.organization_id = c.organization_id AND a.status = 'active')";

    private const string ContactColumns = """
        c.id AS Id, c.organization_id AS OrganizationId, c.name AS Name, c.email AS Email, c.phone AS Phone,
        c.role AS Role, c.consent_to_publish AS ConsentToPublish, c.created_at AS CreatedAt
        """;

    /// <summary>The id of another organisation with the same folded name in the same town, if any.</summary>
    public static Task<Guid?> FindDuplicateAsync(WriteTransaction tx, OrganizationFacts facts, Guid? except = null)
    {
        const string sql = "SELECT id FROM organizations WHERE name_key = @nameKey AND town_key = @townKey AND (@except IS NULL OR id <> @except)";
        const string postgres = "SELECT id FROM organizations WHERE name_key = @nameKey AND town_key = @townKey AND (@except::uuid IS NULL OR id <> @except)";
        return tx.QuerySingleOrDefaultAsync<Guid?>(tx.Engine == DatabaseEngine.Postgres ? postgres : sql, new { nameKey = facts.NameKey, townKey = facts.TownKey, except });
    }

    public static async Task InsertAsync(WriteTransaction tx, Guid id, OrganizationFacts facts)
    {
        const string sql = """
            INSERT INTO organizations (id, name, name_key, kind, district, region, town, town_key, address, website, employees, search_text, version, created_at, updated_at)
            VALUES (@id, @Name, @NameKey, @Kind, @District, @Region, @Town, @TownKey, @Address, @Website, @Employees, @SearchDocument, 1, @now, @now)
            """;
        await tx.ExecuteAsync(sql, Parameters(id, facts, tx.Now));
        await InsertIndustriesAsync(tx, id, facts.Industries);
    }

    public static async Task UpdateAsync(WriteTransaction tx, Guid id, OrganizationFacts facts, long version)
    {
        const string sql = """
            UPDATE organizations SET name = @Name, name_key = @NameKey, kind = @Kind, district = @District, region = @Region,
                town = @Town, town_key = @TownKey, address = @Address, website = @Website, employees = @Employees,
                search_text = @SearchDocument, version = @version, updated_at = @now
            WHERE id = @id
            """;
        var args = Parameters(id, facts, tx.Now);
        args.Add("version", version);
        await tx.ExecuteAsync(sql, args);
        await tx.ExecuteAsync("DELETE FROM organization_industries WHERE organization_id = @id", new { id });
        await InsertIndustriesAsync(tx, id, facts.Industries);
    }

    /// <summary>Reads the organisation for a change; on PostgreSQL the row is locked so competing writers queue.</summary>
    public static Task<OrganizationRow?> LockAsync(WriteTransaction tx, Guid id)
    {
        const string sql = $"SELECT {OrganizationColumns} FROM organizations o WHERE o.id = @id";
        return tx.QuerySingleOrDefaultAsync<OrganizationRow>(sql + tx.ForUpdate, new { id });
    }

    /// <summary>Inserts a contact; <paramref name="submittedWith"/> names the application it came with, if any.</summary>
    public static Task InsertContactAsync(WriteTransaction tx, Guid contactId, Guid organizationId, ContactFacts contact, Guid? submittedWith = null)
    {
        const string sql = """
            INSERT INTO contacts (id, organization_id, name, email, phone, role, consent_to_publish, created_at, submitted_with)
            VALUES (@contactId, @organizationId, @Name, @Email, @Phone, @Role, @ConsentToPublish, @now, @submittedWith)
            """;
        return tx.ExecuteAsync(sql, new { contactId, organizationId, contact.Name, contact.Email, contact.Phone, contact.Role, contact.ConsentToPublish, now = tx.Now, submittedWith });
    }

    public static async Task<OrganizationView?> FindAsync(DbConnection connection, DatabaseEngine engine, Guid id, CancellationToken ct, DbTransaction? transaction = null)
    {
        const string sql = $"SELECT {OrganizationColumns} FROM organizations o WHERE o.id = @id";
        var row = await connection.QuerySingleOrDefaultAsync<OrganizationRow>(new CommandDefinition(sql, new { id }, transaction, cancellationToken: ct));
        return row is null ? null : (await ToViewsAsync(connection, engine, [row], ct, transaction))[0];
    }

    /// <summary>Completes organisation rows with their industries, active networks and published contacts (three queries in one batch for a whole page).</summary>
    public static async Task<IReadOnlyList<OrganizationView>> ToViewsAsync(DbConnection connection, DatabaseEngine engine, IReadOnlyList<OrganizationRow> rows, CancellationToken ct, DbTransaction? transaction = null)
    {
        if (rows.Count == 0)
        {
            return [];
        }
        var postgres = engine == DatabaseEngine.Postgres;
        // Dapper expands a list for SQLite's IN (without type handlers, so as text); Npgsql takes an array for ANY.
        object ids = postgres ? new { ids = rows.Select(r => r.Id).ToArray() } : new { ids = rows.Select(r => r.Id.ToString("D")).ToList() };
        const string industriesSqlite = "SELECT organization_id AS OrganizationId, industry AS Code FROM organization_industries WHERE organization_id IN @ids ORDER BY industry";
        const string industriesPostgres = "SELECT organization_id AS OrganizationId, industry AS Code FROM organization_industries WHERE organization_id = ANY(@ids) ORDER BY industry";
        // Published contacts are those who consented, of an organisation the directory lists (an active member).
        const string contactsSqlite = $"SELECT {ContactColumns} FROM contacts c WHERE c.organization_id IN @ids AND c.consent_to_publish = 1 AND {ListedContact} ORDER BY c.name, c.id";
        const string contactsPostgres = $"SELECT {ContactColumns} FROM contacts c WHERE c.organization_id = ANY(@ids) AND c.consent_to_publish AND {ListedContact} ORDER BY c.name COLLATE \"C\", c.id";

        // One batch, one round trip to the database for all three.
        var batch = postgres
            ? $"{industriesPostgres};\n{MembershipStore.ActiveNetworksPostgres};\n{contactsPostgres}"
            : $"{industriesSqlite};\n{MembershipStore.ActiveNetworksSqlite};\n{contactsSqlite}";
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(batch, ids, transaction, cancellationToken: ct));
        var industries = (await results.ReadAsync<CodeRow>()).ToLookup(r => r.OrganizationId, r => r.Code);
        var networks = (await results.ReadAsync<CodeRow>()).ToLookup(r => r.OrganizationId, r => r.Code);
        var contacts = (await results.ReadAsync<ContactRow>()).ToLookup(r => r.OrganizationId);
        return rows.Select(r => new OrganizationView(
            r.Id, r.Name, r.Kind, r.District, r.Region, r.Town, r.Address, r.Website,
            industries[r.Id].ToList(), r.Employees, networks[r.Id].Distinct().ToList(),
            contacts[r.Id].Select(c => c.ToView()).ToList(), r.Version)).ToList();
    }

    public static async Task<IReadOnlyList<ContactRow>> ContactsAsync(DbConnection connection, Guid organizationId, bool publishedOnly, CancellationToken ct, DbTransaction? transaction = null)
    {
        const string all = $"SELECT {ContactColumns} FROM contacts c WHERE c.organization_id = @organizationId ORDER BY c.created_at, c.id";
        const string published = $"SELECT {ContactColumns} FROM contacts c WHERE c.organization_id = @organizationId AND c.consent_to_publish = @yes ORDER BY c.created_at, c.id";
        return (await connection.QueryAsync<ContactRow>(new CommandDefinition(publishedOnly ? published : all, new { organizationId, yes = true }, transaction, cancellationToken: ct))).ToList();
    }

    /// <summary>The contacts this caller may see: all when responsible; else the published ones and those submitted with a pending application to a network the caller manages.</summary>
    public static async Task<IReadOnlyList<ContactRow>> VisibleContactsAsync(DbConnection connection, DatabaseEngine engine, Guid organizationId, OrganizationAccess access, CancellationToken ct)
    {
        if (access.Responsible)
        {
            return await ContactsAsync(connection, organizationId, publishedOnly: false, ct);
        }
        const string sqlite = $"""
            SELECT {ContactColumns} FROM contacts c
            WHERE c.organization_id = @organizationId
              AND ((@listed = 1 AND c.consent_to_publish = 1)
                   OR EXISTS (SELECT 1 FROM memberships m WHERE m.id = c.submitted_with AND m.status = 'applied' AND m.network_slug IN @pending))
            ORDER BY c.created_at, c.id
            """;
        const string postgres = $"""
            SELECT {ContactColumns} FROM contacts c
            WHERE c.organization_id = @organizationId
              AND ((@listed AND c.consent_to_publish)
                   OR EXISTS (SELECT 1 FROM memberships m WHERE m.id = c.submitted_with AND m.status = 'applied' AND m.network_slug = ANY(@pending)))
            ORDER BY c.created_at, c.id
            """;
        var isPostgres = engine == DatabaseEngine.Postgres;
        object args = isPostgres
            ? new { organizationId, listed = access.Listed, pending = access.PendingNetworks.ToArray() }
            : new { organizationId, listed = access.Listed, pending = access.PendingNetworks.ToList() };
        return (await connection.QueryAsync<ContactRow>(new CommandDefinition(isPostgres ? postgres : sqlite, args, cancellationToken: ct))).ToList();
    }

    private static DynamicParameters Parameters(Guid id, OrganizationFacts facts, DateTimeOffset now)
    {
        var args = new DynamicParameters(new { id, facts.Name, facts.NameKey, facts.Kind, facts.District, facts.Region, facts.Town, facts.TownKey, facts.Address, facts.Website, facts.Employees, facts.SearchDocument });
        args.Add("now", now);
        return args;
    }

    private static async Task InsertIndustriesAsync(WriteTransaction tx, Guid id, IReadOnlyList<string> industries)
    {
        foreach (var industry in industries)
        {
            await tx.ExecuteAsync("INSERT INTO organization_industries (organization_id, industry) VALUES (@id, @industry)", new { id, industry });
        }
    }
}
