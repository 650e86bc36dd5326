using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EmsAchse.Directory.Benchmarks;

/// <summary>
/// The members service as deploy/run.sh starts it (its Release build, Development environment, SQLite file or
/// PostgreSQL database), seeding the generated demo organisations itself on first start.
/// </summary>
internal sealed class MembersProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private MembersProcess(Process process, StreamWriter log, Uri address)
    {
        _process = process;
        _log = log;
        Address = address;
    }

    public Uri Address { get; }

    public static MembersProcess Start(string dll, string connectionString, Uri broker, int organizations, int generatorSeed, string logFile)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{port}";
        info.Environment["ConnectionStrings__Database"] = connectionString;
        info.Environment["RabbitMq__Uri"] = broker.ToString();
        info.Environment["Seed__Demo"] = "true";
        info.Environment["Seed__DemoOrganizations"] = organizations.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Seed__GeneratorSeed"] = generatorSeed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["DOTNET_NOLOGO"] = "1";
        var log = new StreamWriter(logFile) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Write(log, e.Data, echo: e.Data?.Contains("Demo seed", StringComparison.Ordinal) == true || e.Data?.Contains("Seeded", StringComparison.Ordinal) == true);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data, echo: true);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new MembersProcess(process, log, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async Task WaitReadyAsync(HttpClient client, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the members service exited with {_process.ExitCode} during start-up");
            }
            try
            {
                using var response = await client.GetAsync(new Uri(Address, "/health/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet (the seed runs before Kestrel starts)
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"the members service was not ready within {timeout}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        await _log.DisposeAsync();
    }

    private static void Write(StreamWriter log, string? line, bool echo)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            log.WriteLine(line);
        }
        if (echo)
        {
            Console.Error.WriteLine($"  [members] {(line.Length > 300 ? line[..300] : line)}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
