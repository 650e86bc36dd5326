using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace EmsAchse.Gateway.Limits;

/// <summary>
/// The web apps behind the gateway that call its API on a visitor's behalf (the portal). Their requests come from
/// their own address; each says in <c>X-Forwarded-For</c> for whom it calls, and the gateway believes that from these
/// addresses only. Then the anonymous rate limit, the failed-authentication limit and the services' logs count the
/// visitor, not the portal: one busy or abusive visitor uses up their own bucket, not every visitor's.
/// </summary>
internal static class TrustedForwarders
{
    public const string Section = "TrustedForwarders";

    /// <summary>The addresses from <c>TrustedForwarders:Addresses</c>; none means X-Forwarded-For is never believed.</summary>
    public static IReadOnlyList<IPAddress> Read(IConfiguration configuration)
    {
        var addresses = new List<IPAddress>();
        foreach (var text in configuration.GetSection($"{Section}:Addresses").Get<string[]>() ?? [])
        {
            addresses.Add(IPAddress.TryParse(text, out var address)
                ? address
                : throw new InvalidOperationException($"{Section}:Addresses holds '{text}', which is not an IP address."));
        }
        return addresses;
    }

    public static IServiceCollection AddTrustedForwarders(this IServiceCollection services, IReadOnlyList<IPAddress> forwarders) =>
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            // The one entry the forwarder added; anything the visitor sent before it is theirs to make up.
            o.ForwardLimit = 1;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var address in forwarders)
            {
                o.KnownProxies.Add(address);
            }
        });
}
