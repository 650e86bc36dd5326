namespace EmsAchse.Identity.Accounts;

/// <summary>
/// Which origin a passkey ceremony must come from: the one the visitor's browser shows for this service (scheme and
/// host as the trusted gateway forwards them), on the passkey domain when one is configured, never from a frame of
/// another site. Identity's default compares with the request's Origin header instead, which a page sent with
/// <c>Referrer-Policy: no-referrer</c> (ours) posts as <c>null</c>.
/// </summary>
public static class PasskeyOrigin
{
    public static bool IsExpected(string? origin, bool crossOrigin, string requestScheme, string requestHost, string? passkeyDomain)
    {
        if (crossOrigin || string.IsNullOrEmpty(origin) || !Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || !string.Equals(origin, uri.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal))
        {
            return false;
        }
        if (!string.Equals(origin, $"{requestScheme}://{requestHost}", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        // WebAuthn lets a page use its own host or a parent domain as relying party; a configured domain pins that.
        return passkeyDomain is null
            || string.Equals(uri.Host, passkeyDomain, StringComparison.OrdinalIgnoreCase)
            || uri.Host.EndsWith("." + passkeyDomain, StringComparison.OrdinalIgnoreCase);
    }
}
