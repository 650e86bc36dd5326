using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EmsAchse.TestSupport;

public static class Ports
{
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A loopback port free at this moment (the OS picks it), and never one this process was given before: a port is
    /// often chosen ahead of the host that binds it (the portal's, the gateway's), and in between the OS may offer
    /// the same port again.
    /// </summary>
    public static int Free()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}

/// <summary>
/// A service (or the gateway, identity, the portal) in this process, listening on a real loopback port (HTTP/1.1),
/// Development environment. A service host also listens, as deployed, on a second port for the gateway that speaks
/// cleartext HTTP/2 only, and records the protocol of every API request that reaches it there.
/// </summary>
public sealed class KestrelHost<TProgram> : WebApplicationFactory<TProgram>
    where TProgram : class
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly string? _reloadableJson;

    /// <param name="reloadableJson">A JSON file added to the configuration and watched, for tests that change settings at run time.</param>
    /// <param name="fixedPort">A port chosen by the caller (one a browser test must know before the host starts); 0 for a free one.</param>
    public KestrelHost(IReadOnlyDictionary<string, string?> settings, string? reloadableJson = null, bool gatewayEndpoint = false, int fixedPort = 0)
    {
        _settings = settings;
        _reloadableJson = reloadableJson;
        Port = fixedPort != 0 ? fixedPort : Ports.Free();
        GatewayPort = gatewayEndpoint ? Ports.Free() : 0;
        var (port, gatewayPort) = (Port, GatewayPort);
        UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            if (gatewayPort != 0)
            {
                k.Listen(IPAddress.Loopback, gatewayPort, l => l.Protocols = HttpProtocols.Http2);
            }
        });
        StartServer();
    }

    public int Port { get; }

    public int GatewayPort { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    /// <summary>The cleartext HTTP/2 endpoint the gateway's clusters point at.</summary>
    public Uri GatewayAddress => GatewayPort != 0 ? new($"http://127.0.0.1:{GatewayPort}/") : throw new InvalidOperationException("this host has no gateway endpoint");

    /// <summary>"HTTP/2" etc. of the requests that arrived on the gateway endpoint, newest last.</summary>
    public ConcurrentQueue<string> GatewayEndpointProtocols { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        if (_reloadableJson is not null)
        {
            builder.ConfigureAppConfiguration(c => c.AddJsonFile(_reloadableJson, optional: false, reloadOnChange: true));
        }
        if (GatewayPort != 0)
        {
            builder.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new RecordProtocols(GatewayPort, GatewayEndpointProtocols)));
        }
    }

    private sealed class RecordProtocols(int port, ConcurrentQueue<string> protocols) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                if (context.Connection.LocalPort == port && context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
                {
                    protocols.Enqueue(context.Request.Protocol);
                }
                return following(context);
            });
            next(app);
        };
    }
}
