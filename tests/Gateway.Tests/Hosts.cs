using System.Diagnostics;
using System.Net;
using EmsAchse.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace EmsAchse.Gateway.Tests;

/// <summary>A service as its own `dotnet` process (the built dll beside this test's build), so a test can kill it hard.</summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;

    public ServiceProcess(string project, string assembly, IReadOnlyDictionary<string, string> environment)
    {
        Port = Ports.Free();
        GatewayPort = Ports.Free();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0
        var dll = Path.Combine(Repository.Root, project, "bin", configuration, "net10.0", assembly);
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
