namespace EmsAchse.Portal.SignIn;

/// <summary>
/// The OpenID Connect back channel to identity's internal address: discovery names every endpoint under the public
/// issuer (the gateway); metadata, keys and token requests are sent to the address Portal:SignIn:MetadataAddress names,
/// so the portal's server-to-server calls never loop through the gateway. The browser still goes to the public URLs.
/// </summary>
internal sealed class AuthorityBackchannel : DelegatingHandler
{
    private const string WellKnown = ".well-known/";
    private readonly string _publicPrefix;
    private readonly string? _internalPrefix;

    public AuthorityBackchannel(Uri authority, Uri? metadataAddress)
        : base(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        _publicPrefix = authority.ToString();
        var metadata = metadataAddress?.ToString();
        var wellKnown = metadata?.IndexOf(WellKnown, StringComparison.Ordinal) ?? -1;
        _internalPrefix = wellKnown > 0 ? metadata![..wellKnown] : null;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri?.ToString();
        if (_internalPrefix is not null && uri is not null && uri.StartsWith(_publicPrefix, StringComparison.OrdinalIgnoreCase))
        {
            request.RequestUri = new Uri(_internalPrefix + uri[_publicPrefix.Length..]);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
