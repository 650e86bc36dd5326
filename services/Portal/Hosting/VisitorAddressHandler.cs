namespace EmsAchse.Portal.Hosting;

/// <summary>
/// Tells the gateway for whom the portal calls its API: the visitor's address (as the gateway forwarded it to the
/// portal) in <c>X-Forwarded-For</c>. The gateway believes it from its configured trusted forwarders only, and then
/// counts its rate limits per visitor instead of one bucket for the whole portal.
/// </summary>
public sealed class VisitorAddressHandler(IHttpContextAccessor accessor) : DelegatingHandler
{
    public const string Header = "X-Forwarded-For";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove(Header);
        if (accessor.HttpContext?.Connection.RemoteIpAddress is { } visitor)
        {
            request.Headers.TryAddWithoutValidation(Header, (visitor.IsIPv4MappedToIPv6 ? visitor.MapToIPv4() : visitor).ToString());
        }
        return base.SendAsync(request, cancellationToken);
    }
}
