using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EmsAchse.Gateway.Tests;

internal static class Ports
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// A service (or the gateway) in this process, listening on a real port, Development environment. A service host
/// also listens, as deployed, on a second port for the gateway that speaks cleartext HTTP/2 only, and records the
/// protocol of every request that reaches it there.
/// </summary>
public sealed class KestrelHost<TProgram> : WebApplicationFactory<TProgram>
    where TProgram : class
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly string? _reloadableJson;

    public KestrelHost(IReadOnlyDictionary<string, string?> settings, string? reloadableJson = null, bool gatewayEndpoint = false)
    {
        _settings = settings;
        _reloadableJson = reloadableJson;
        Port = Ports.Free();
        GatewayPort = gatewayEndpoint ? Ports.Free() : 0;
        var port = Port;
        var gatewayPort = GatewayPort;
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

/// <summary>A service as its own `dotnet` process (the built dll beside this test's build), so a test can kill it hard.</summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;

    public ServiceProcess(string project, string assembly, IReadOnlyDictionary<string, string> environment)
    {
        Port = Ports.Free();
        GatewayPort = Ports.Free();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0
        var dll = Path.Combine(RepositoryRoot(), project, "bin", configuration, "net10.0", assembly);
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        // As deployed: HTTP/1.1 for direct callers, cleartext HTTP/2 for the gateway.
        start.Environment["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{Port}";
        start.Environment["Kestrel__Endpoints__Gateway__Url"] = $"http://127.0.0.1:{GatewayPort}";
        start.Environment["Kestrel__Endpoints__Gateway__Protocols"] = "Http2";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{dll} did not start");
        // Drain the output so the process never blocks on a full pipe.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    public int GatewayPort { get; }

    public Uri GatewayAddress => new($"http://127.0.0.1:{GatewayPort}/");

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: no graceful shutdown, open connections are reset.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EmsAchse.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("EmsAchse.slnx not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A stand-in for the portal behind the gateway's catch-all route: ready, and a German page with its own CSP.</summary>
public sealed class PortalStub : IAsyncDisposable
{
    public const string Policy = "default-src 'self'";

    private readonly WebApplication _app;

    public PortalStub()
    {
        Port = Ports.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, Port));
        _app = builder.Build();
        _app.MapGet("/health/ready", () => "ready");
        _app.MapFallback(async context =>
        {
            context.Response.Headers.ContentSecurityPolicy = Policy;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync($"<!DOCTYPE html><html lang=\"de\"><title>Portal</title><p>{context.Request.Path}</p></html>");
        });
        _app.StartAsync().GetAwaiter().GetResult();
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
