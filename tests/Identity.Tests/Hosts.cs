using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace EmsAchse.Identity.Tests;

internal static class Ports
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A service in this process on a real loopback port (HTTP/1.1), Development environment.</summary>
public sealed class KestrelHost<TProgram> : WebApplicationFactory<TProgram>
    where TProgram : class
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public KestrelHost(IReadOnlyDictionary<string, string?> settings)
    {
        _settings = settings;
        Port = Ports.Free();
        var port = Port;
        UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        StartServer();
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
