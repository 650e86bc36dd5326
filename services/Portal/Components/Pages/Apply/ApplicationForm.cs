using EmsAchse.Portal.Services;

namespace EmsAchse.Portal.Components.Pages.Apply;

/// <summary>The application form's fields, as posted; <see cref="Homepage"/> is the honeypot that people never see.</summary>
public sealed class ApplicationForm
{
    public string? Network { get; set; }
    public string? Name { get; set; }
    public string? Kind { get; set; }
    public string? District { get; set; }
    public string? Town { get; set; }
    public string? Address { get; set; }
    public string? Website { get; set; }
    public string? Industry { get; set; }
    public string? Employees { get; set; }
    public string? ContactName { get; set; }
    public string? ContactEmail { get; set; }
    public string? ContactPhone { get; set; }
    public string? ContactRole { get; set; }
    public bool PublishContact { get; set; }
    public bool PrivacyConsent { get; set; }
    public string? Homepage { get; set; }

    /// <summary>Only a program fills a field that is not displayed.</summary>
    public bool IsSpam => !string.IsNullOrWhiteSpace(Homepage);

    /// <summary>The property behind a form field's element id, for the edit context's messages.</summary>
    public static string? PropertyOf(string fieldId) => fieldId switch
    {
        "network" => nameof(Network),
        "name" => nameof(Name),
        "kind" => nameof(Kind),
        "district" => nameof(District),
        "town" => nameof(Town),
        "address" => nameof(Address),
        "website" => nameof(Website),
        "industry" => nameof(Industry),
        "employees" => nameof(Employees),
        "contact-name" => nameof(ContactName),
        "contact-email" => nameof(ContactEmail),
        "contact-phone" => nameof(ContactPhone),
        "contact-role" => nameof(ContactRole),
        "consent" => nameof(PrivacyConsent),
        _ => null,
    };

    public MembershipApplication ToApplication() => new(
        Network?.Trim() ?? "",
        new NewOrganization(Name, Kind, District, Town, Address, Website, string.IsNullOrWhiteSpace(Industry) ? [] : [Industry], string.IsNullOrWhiteSpace(Employees) ? null : Employees),
        new NewContact(ContactName, ContactEmail, ContactPhone, ContactRole, PublishContact));
}
