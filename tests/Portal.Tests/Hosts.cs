using System.Diagnostics;
using EmsAchse.TestSupport;

namespace EmsAchse.Portal.Tests;

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
