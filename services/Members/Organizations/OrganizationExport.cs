using System.Data.Common;
using Dapper;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Members.Organizations;

public sealed record ExportedOrganization(
    Guid Id, string Name, string Kind, string District, string Region, string Town, string? Address, string? Website,
    IReadOnlyList<string> Industries, string? Employees, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ErasedAt);

public sealed record ExportedContact(Guid Id, string Name, string? Email, string? Phone, string? Role, bool ConsentToPublish, DateTimeOffset CreatedAt);

public sealed record ExportedMembership(
    Guid Id, string Network, string Status, DateTimeOffset Submitted, DateTimeOffset? Decided, string? DecidedBy, string? DecisionReason,
    DateOnly? Since, DateOnly? Until, string? EndedBy, string? EndReason, long Version);

/// <summary>GDPR export: every stored fact about an organisation, its contacts and its memberships.</summary>
public sealed record OrganizationExport(
    DateTimeOffset ExportedAt,
    ExportedOrganization Organization,
    IReadOnlyList<ExportedContact> Contacts,
    IReadOnlyList<ExportedMembership> Memberships)
{
    private sealed class MembershipRow
    {
        public Guid Id { get; init; }
        public string Network { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset Submitted { get; init; }
        public DateTimeOffset? Decided { get; init; }
        public string? DecidedBy { get; init; }
        public string? DecisionReason { get; init; }
        public DateOnly? Since { get; init; }
        public DateOnly? Until { get; init; }
        public string? EndedBy { get; init; }
        public string? EndReason { get; init; }
        public long Version { get; init; }
    }

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
        const string membershipsSql = """
            SELECT id AS Id, network_slug AS Network, status AS Status, submitted AS Submitted, decided AS Decided,
                   decided_by AS DecidedBy, decision_reason AS DecisionReason, since AS Since, until AS Until,
                   ended_by AS EndedBy, end_reason AS EndReason, version AS Version
            FROM memberships WHERE organization_id = @id ORDER BY submitted, id
            """;
        var memberships = await connection.QueryAsync<MembershipRow>(new CommandDefinition(membershipsSql, new { id }, cancellationToken: ct));
        return new OrganizationExport(
            now,
            new ExportedOrganization(o.Id, o.Name, o.Kind, o.District, o.Region, o.Town, o.Address, o.Website, view.Industries, o.Employees, o.Version, o.CreatedAt, o.UpdatedAt, o.ErasedAt),
            contacts.Select(c => new ExportedContact(c.Id, c.Name, c.Email, c.Phone, c.Role, c.ConsentToPublish, c.CreatedAt)).ToList(),
            memberships.Select(m => new ExportedMembership(m.Id, m.Network, m.Status, m.Submitted, m.Decided, m.DecidedBy, m.DecisionReason, m.Since, m.Until, m.EndedBy, m.EndReason, m.Version)).ToList());
    }
}
