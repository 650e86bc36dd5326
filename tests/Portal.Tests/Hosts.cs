using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EmsAchse.Portal.Tests;

internal static class Ports
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A service or the gateway in this process on a real port (Development); services also on a cleartext HTTP/2 port for the gateway.</summary>
public sealed class HostOnPort<TProgram> : WebApplicationFactory<TProgram>
    where TProgram : class
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public HostOnPort(IReadOnlyDictionary<string, string?> settings, bool gatewayEndpoint = false, int fixedPort = 0)
    {
        _settings = settings;
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

    public Uri GatewayAddress => new($"http://127.0.0.1:{GatewayPort}/");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>The portal as deployed: its own `dotnet` process from its build output, configured by environment variables.</summary>
public sealed class PortalProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    public PortalProcess(Uri gateway, IReadOnlyDictionary<string, string>? environment = null, string name = "portal", int port = 0)
    {
        Port = port != 0 ? port : Ports.Free();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0
        var dll = Path.Combine(Repository.Root, "services", "Portal", "bin", configuration, "net10.0", "EmsAchse.Portal.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = Address.ToString().TrimEnd('/');
        start.Environment["Portal__GatewayUrl"] = gateway.ToString();
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        Directory.CreateDirectory(Repository.Results);
        _log = new StreamWriter(Path.Combine(Repository.Results, $"{name}-{Port}.log")) { AutoFlush = true };
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{dll} did not start");
        _process.OutputDataReceived += (_, e) => Write(e.Data);
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.WriteLine(line);
        }
    }
}

internal static class Repository
{
    public static string Root { get; } = Find();

    /// <summary>tests/TestResults, where tests/run.sh keeps its artefacts.</summary>
    public static string Results => Path.Combine(Root, "tests", "TestResults");

    private static string Find()
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
