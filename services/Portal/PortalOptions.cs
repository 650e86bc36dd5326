using System.ComponentModel.DataAnnotations;

namespace EmsAchse.Portal;

/// <summary>The portal's settings (section "Portal"), checked at start-up.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>The gateway's address; the portal reads the platform only through it.</summary>
    [Required]
    public Uri GatewayUrl { get; set; } = new("http://127.0.0.1:5000/");

    /// <summary>Folder of impressum.txt and datenschutz.txt, absolute or relative to the content root.</summary>
    [Required]
    public string LegalTextsPath { get; set; } = "Content/legal";

    /// <summary>How long browsers and caches may keep a public page without a form.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan PageMaxAge { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the portal keeps the list of networks between fetches (<c>00:00:00</c>: never kept).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan CatalogueMaxAge { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one call to the gateway may take, retries included.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan ApiTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
