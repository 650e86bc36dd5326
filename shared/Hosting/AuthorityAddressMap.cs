namespace EmsAchse.Platform.Hosting;

/// <summary>
/// JwtBearer's back channel to an authority behind the gateway: its discovery document names every URL under the
/// public issuer (e.g. the JWKS at https://gateway/identity/.well-known/jwks); this sends those requests to the
/// internal address that <c>Jwt:MetadataAddress</c> names instead, so a service never depends on the gateway.
/// </summary>
internal sealed class AuthorityAddressMap : DelegatingHandler
{
    private const string WellKnown = ".well-known/";
    private readonly string _publicPrefix;
    private readonly string? _internalPrefix;

    public AuthorityAddressMap(string authority, string metadataAddress)
        : base(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        _publicPrefix = authority.EndsWith('/') ? authority : authority + "/";
        var wellKnown = metadataAddress.IndexOf(WellKnown, StringComparison.Ordinal);
        _internalPrefix = wellKnown > 0 ? metadataAddress[..wellKnown] : null;
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
