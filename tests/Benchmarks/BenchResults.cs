using System.Globalization;

namespace EmsAchse.Benchmarks;

/// <summary>
/// The results rows every benchmark appends when EMSACHSE_BENCH_RESULTS names a file (tests/Benchmarks/README.md):
/// benchmark, measure, value, unit, baseline, ratio, goal, met. Linked into each benchmark project.
/// </summary>
internal static class BenchResults
{
    public const string Variable = "EMSACHSE_BENCH_RESULTS";

    public static void Row(string benchmark, string measure, double value, string unit, double? baseline, double? ratio, string goal, bool? met)
    {
        var file = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(file))
        {
            return;
        }
        var fields = new[]
        {
            benchmark, measure, Number(value), unit, baseline is { } b ? Number(b) : "-", ratio is { } r ? r.ToString("F2", CultureInfo.InvariantCulture) : "-",
            goal, met is { } m ? (m ? "yes" : "no") : "-",
        };
        File.AppendAllText(file, string.Join('\t', fields.Select(f => f.Replace('\t', ' '))) + "\n");
    }

    /// <summary>The load average now: figures mean little without it on a shared machine.</summary>
    public static string Load()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static string Number(double value) =>
        Math.Abs(value) >= 100 ? value.ToString("F0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);
}
