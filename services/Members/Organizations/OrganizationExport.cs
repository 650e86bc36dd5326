using System.Data.Common;
using Dapper;
using EmsAchse.Members.Memberships;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Members.Organizations;

public sealed record ExportedOrganization(
    Guid Id, string Name, string Kind, string District, string Region, string Town, string? Address, string? Website,
    IReadOnlyList<string> Industries, string? Employees, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ErasedAt);

public sealed record ExportedContact(Guid Id, string Name, string? Email, string? Phone, string? Role, bool ConsentToPublish, DateTimeOffset CreatedAt);

/// <summary>GDPR export: every stored fact about an organisation, its contacts and its memberships.</summary>
public sealed record OrganizationExport(
    DateTimeOffset ExportedAt,
    ExportedOrganization Organization,
    IReadOnlyList<ExportedContact> Contacts,
    IReadOnlyList<ExportedMembership> Memberships)
{
    public static async Task<OrganizationExport?> ReadAsync(DbConnection connection, DatabaseEngine engine, Guid id, DateTimeOffset now, CancellationToken ct)
    {
        const string organizationSql = $"SELECT {OrganizationStore.OrganizationColumns} FROM organizations o WHERE o.id = @id";
        var o = await connection.QuerySingleOrDefaultAsync<OrganizationStore.OrganizationRow>(new CommandDefinition(organizationSql, new { id }, cancellationToken: ct));
        if (o is null)
        {
            return null;
        }
        var view = (await OrganizationStore.ToViewsAsync(connection, engine, [o], ct))[0];
        var contacts = await OrganizationStore.ContactsAsync(connection, id, publishedOnly: false, ct);
        var memberships = await MembershipStore.ExportAsync(connection, id, ct);
        return new OrganizationExport(
            now,
            new ExportedOrganization(o.Id, o.Name, o.Kind, o.District, o.Region, o.Town, o.Address, o.Website, view.Industries, o.Employees, o.Version, o.CreatedAt, o.UpdatedAt, o.ErasedAt),
            contacts.Select(c => new ExportedContact(c.Id, c.Name, c.Email, c.Phone, c.Role, c.ConsentToPublish, c.CreatedAt)).ToList(),
            memberships);
    }
}
