using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

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

/// <summary>A service (or the gateway) in this process, listening on a real port, Development environment.</summary>
public sealed class KestrelHost<TProgram> : WebApplicationFactory<TProgram>
    where TProgram : class
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly string? _reloadableJson;

    public KestrelHost(IReadOnlyDictionary<string, string?> settings, string? reloadableJson = null)
    {
        _settings = settings;
        _reloadableJson = reloadableJson;
        Port = Ports.Free();
        UseKestrel(Port);
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
        if (_reloadableJson is not null)
        {
            builder.ConfigureAppConfiguration(c => c.AddJsonFile(_reloadableJson, optional: false, reloadOnChange: true));
        }
    }
}

/// <summary>A service as its own `dotnet` process (the built dll beside this test's build), so a test can kill it hard.</summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;

    public ServiceProcess(string project, string assembly, IReadOnlyDictionary<string, string> environment)
    {
        Port = Ports.Free();
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
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}";
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
