using System.ComponentModel.DataAnnotations;

namespace EmsAchse.Identity;

/// <summary>The identity service's settings (section <c>Identity</c>), validated at start.</summary>
public sealed class IdentityServiceOptions : IValidatableObject
{
    public const string Section = "Identity";

    /// <summary>The public URL of the authority: the gateway's address plus <c>/identity/</c>.</summary>
    [Required]
    public Uri? Issuer { get; set; }

    /// <summary>The resource (audience) every access token names: what the services check.</summary>
    [Required]
    public string Audience { get; set; } = "emsachse";

    /// <summary>
    /// Addresses whose X-Forwarded-* headers are trusted: the gateway's only. Empty by default on purpose: the binder
    /// appends configured array items to a default's, so a default here would stay trusted beside the configured
    /// gateway (<see cref="TrustedGatewayAddresses"/> falls back to loopback when nothing is configured).
    /// </summary>
    public string[] GatewayAddresses { get; set; } = [];

    public IReadOnlyList<string> TrustedGatewayAddresses => GatewayAddresses.Length > 0 ? GatewayAddresses : ["127.0.0.1", "::1"];

    /// <summary>Development only: where the RSA signing and encryption keys are created once and kept.</summary>
    public string? KeysFolder { get; set; }

    /// <summary>Production: PKCS#12 files of the signing certificates (current and next, for rotation).</summary>
    public List<CertificateFile> SigningCertificates { get; set; } = [];

    /// <summary>Production: PKCS#12 files of the certificates that encrypt codes and refresh tokens.</summary>
    public List<CertificateFile> EncryptionCertificates { get; set; } = [];

    public PortalClient Portal { get; set; } = new();

    /// <summary>Sign-in attempts (form posts) per minute from one address, before lockout counts per account.</summary>
    [Range(1, 100000)]
    public int SignInsPerMinute { get; set; } = 10;

    public InitialAdminAccount InitialAdmin { get; set; } = new();

    /// <summary>
    /// Where mails (invitations, password resets) are written as .eml files instead of being sent: a setting of its own,
    /// not tied to the environment. In Development without <c>Identity:Mail:Host</c> it defaults to <c>.data/mail</c>.
    /// </summary>
    public string? MailFolder { get; set; }

    /// <summary>SMTP, used whenever mails do not go into <see cref="MailFolder"/>.</summary>
    public Mail.MailSettings Mail { get; set; } = new();

    public bool UsesMailFolder => !string.IsNullOrWhiteSpace(MailFolder) || (IsDevelopment && string.IsNullOrWhiteSpace(Mail.Host));

    /// <summary>How long a password-reset link is valid.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PasswordResetLifespan { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Form posts per minute from one address on the password and two-factor pages.</summary>
    [Range(1, 100000)]
    public int FormPostsPerMinute { get; set; } = 10;

    /// <summary>How long an invitation's set-up link is valid.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan InvitationLifespan { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long the inbox remembers a handled message; older rows are removed at start. Redeliveries come within
    /// minutes, and the version rule still drops an older event after its row is gone.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// The passkeys' relying party (WebAuthn RP ID): the public host name, e.g. <c>portal.ems-achse.de</c>. Unset, it is
    /// the host the visitor's browser shows. Changing it later makes every passkey made before unusable.
    /// </summary>
    [RegularExpression("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$", ErrorMessage = "Identity:PasskeyDomain is a host name without scheme or port.")]
    public string? PasskeyDomain { get; set; }

    /// <summary>Development with Seed:Demo=true: where the demo managers' sign-ins are listed (default: <c>.data/identity-demo-users.txt</c>).</summary>
    public string? DemoUsersFile { get; set; }

    internal bool IsDevelopment { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Issuer is { IsAbsoluteUri: false })
        {
            yield return new ValidationResult("Identity:Issuer must be an absolute URL.", [nameof(Issuer)]);
        }
        else if (Issuer is not null && !Issuer.AbsolutePath.EndsWith('/'))
        {
            yield return new ValidationResult("Identity:Issuer must end with '/' (e.g. https://example.org/identity/).", [nameof(Issuer)]);
        }
        else if (Issuer is not null && !IsDevelopment && Issuer.Scheme != Uri.UriSchemeHttps)
        {
            yield return new ValidationResult("Identity:Issuer must be an https URL outside Development.", [nameof(Issuer)]);
        }
        foreach (var address in GatewayAddresses.Where(a => !System.Net.IPAddress.TryParse(a, out _)))
        {
            yield return new ValidationResult($"Identity:GatewayAddresses: '{address}' is not an IP address.", [nameof(GatewayAddresses)]);
        }
        if (!UsesMailFolder)
        {
            foreach (var failure in Mail.Validate(IsDevelopment))
            {
                yield return failure;
            }
        }
        if (!IsDevelopment && SigningCertificates.Count == 0)
        {
            yield return new ValidationResult("Identity:SigningCertificates needs at least one certificate outside Development.", [nameof(SigningCertificates)]);
        }
        if (!IsDevelopment && EncryptionCertificates.Count == 0)
        {
            yield return new ValidationResult("Identity:EncryptionCertificates needs at least one certificate outside Development.", [nameof(EncryptionCertificates)]);
        }
    }
}

public sealed class CertificateFile
{
    [Required]
    public string Path { get; set; } = "";

    public string? Password { get; set; }
}

/// <summary>The portal: a confidential client using the code flow with PKCE.</summary>
public sealed class PortalClient
{
    public const string ClientId = "portal";

    /// <summary>Without a secret the portal client is not registered.</summary>
    public string? ClientSecret { get; set; }

    public string[] RedirectUris { get; set; } = [];

    public string[] PostLogoutRedirectUris { get; set; } = [];
}

public sealed class InitialAdminAccount
{
    [Required]
    public string Email { get; set; } = "admin@ems-achse.local";

    [Required]
    public string Name { get; set; } = "Administration Ems-Achse";

    /// <summary>Where the generated password of the first admin is written once (default: beside the keys).</summary>
    public string? PasswordFile { get; set; }
}
