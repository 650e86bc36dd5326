namespace EmsAchse.Portal.Services;

// The public API's payloads as the portal reads them (DESIGN "Public API"); fields it does not show are left out.

public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);

public sealed record UmbrellaOffice(string? Street, string? PostalCode, string? Town);

public sealed record Umbrella(
    string Name,
    string ShortName,
    string LegalForm,
    int Founded,
    string Mission,
    UmbrellaOffice Office,
    IReadOnlyList<string> Districts,
    int? MemberOrganizations,
    int? Employees,
    int? FiguresYear,
    IReadOnlyList<string> WorkAreas,
    string? Website);

public sealed record Site(
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

public sealed record Network(
    string Slug,
    string Name,
    string Description,
    IReadOnlyList<string> Topics,
    DateOnly? Founded,
    string Status,
    IReadOnlyList<Site> Sites,
    long ActiveMemberCount,
    DateOnly? DissolvedOn)
{
    public bool IsDissolved => string.Equals(Status, "dissolved", StringComparison.OrdinalIgnoreCase);

    /// <summary>The sites still open: a closed one stays in the record but is no longer where the network is.</summary>
    public IEnumerable<Site> OpenSites => Sites.Where(s => !string.Equals(s.Status, "closed", StringComparison.OrdinalIgnoreCase));

    /// <summary>The towns of its open sites, each once: two sites in Lingen are one place to a visitor.</summary>
    public string Towns => string.Join(", ", OpenSites.Select(s => s.Town).Distinct(StringComparer.Ordinal));
}

public sealed record NetworkMember(Guid MembershipId, Guid OrganizationId, string OrganizationName, string OrganizationKind, string District, string? Region, DateOnly Since);

public sealed record Contact(Guid Id, string Name, string? Email, string? Phone, string? Role, bool ConsentToPublish);

public sealed record Organization(
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
    IReadOnlyList<Contact>? Contacts);

public sealed record CoverageShare(Guid FunderId, string FunderName, int ShareBasisPoints);

public sealed record Coverage(Guid SiteId, DateOnly Date, int TotalBasisPoints, string Status, IReadOnlyList<CoverageShare> Shares);

/// <summary>The directory's filters as codes of the API's vocabularies.</summary>
public sealed record DirectorySearch(string? Text, string? Network, string? District, string? Region, string? Industry, string? Kind, int Page, int PageSize);

public sealed record NewOrganization(string? Name, string? Kind, string? District, string? Town, string? Address, string? Website, IReadOnlyList<string> Industries, string? Employees);

public sealed record NewContact(string? Name, string? Email, string? Phone, string? Role, bool ConsentToPublish);

public sealed record MembershipApplication(string Network, NewOrganization Organization, NewContact Contact);

public sealed record SubmittedApplication(Guid Id, string Network, Guid OrganizationId, string Status);
