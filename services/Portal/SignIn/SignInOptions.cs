using System.ComponentModel.DataAnnotations;

namespace EmsAchse.Portal.SignIn;

/// <summary>How the portal signs users in (section "Portal:SignIn"): the identity service as its OpenID Connect authority.</summary>
public sealed class SignInOptions : IValidatableObject
{
    public const string Section = "Portal:SignIn";

    /// <summary>The authority's public issuer: the gateway's address plus <c>/identity/</c> (what the tokens name).</summary>
    [Required]
    public Uri Authority { get; set; } = new("http://127.0.0.1:5000/identity/");

    /// <summary>
    /// The discovery document at identity's internal address (optional): the back channel (metadata, keys, tokens)
    /// then goes there instead of through the gateway; the browser is still sent to the public issuer.
    /// </summary>
    public Uri? MetadataAddress { get; set; }

    [Required]
    public string ClientId { get; set; } = "portal";

    /// <summary>The confidential client's secret: given by deploy/run.sh (or the test fixture), never kept in the repository.</summary>
    [Required(ErrorMessage = "Portal:SignIn:ClientSecret is required (deploy/run.sh gives identity and the portal the same generated secret).")]
    public string? ClientSecret { get; set; }

    /// <summary>Where the Data Protection keys that protect the sign-in cookie are kept (absolute or relative to the content root).</summary>
    [Required]
    public string KeysFolder { get; set; } = ".data/portal-keys";

    /// <summary>The access token is refreshed when it expires within this time.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:04:00")]
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a session lasts without activity (the refresh token's life at identity is longer).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);

    internal bool IsDevelopment { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Authority.IsAbsoluteUri || !Authority.AbsolutePath.EndsWith('/'))
        {
            yield return new ValidationResult("Portal:SignIn:Authority must be an absolute URL ending with '/' (e.g. https://example.org/identity/).", [nameof(Authority)]);
        }
        else if (!IsDevelopment && Authority.Scheme != Uri.UriSchemeHttps)
        {
            yield return new ValidationResult("Portal:SignIn:Authority must be an https URL outside Development.", [nameof(Authority)]);
        }
        if (MetadataAddress is { IsAbsoluteUri: false })
        {
            yield return new ValidationResult("Portal:SignIn:MetadataAddress must be an absolute URL.", [nameof(MetadataAddress)]);
        }
    }
}
