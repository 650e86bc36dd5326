using DotNet.Testcontainers.Containers;

namespace EmsAchse.TestSupport.Containers;

/// <summary>
/// Tells tests/run.sh which Testcontainers sessions its test processes used, so that its clean-up
/// removes only containers of this run (label <c>org.testcontainers.session-id</c>) and never those
/// of a concurrent <c>dotnet test</c> on the same Docker engine.
/// </summary>
internal static class TestSessions
{
    /// <summary>Environment variable naming the file (set by tests/run.sh) the session ids are appended to.</summary>
    public const string FileVariable = "EMSACHSE_TEST_SESSIONS_FILE";

    private static readonly Lock Gate = new();
    private static bool _recorded;

    /// <summary>Appends this process's Testcontainers session id to the file, once per process.</summary>
    public static void Record()
    {
        var file = Environment.GetEnvironmentVariable(FileVariable);
        if (string.IsNullOrWhiteSpace(file))
        {
            return;
        }

        lock (Gate)
        {
            if (_recorded)
            {
                return;
            }

            try
            {
                File.AppendAllText(file, ResourceReaper.DefaultSessionId.ToString("D") + Environment.NewLine);
                _recorded = true;
            }
            catch (IOException exception)
            {
                Console.WriteLine($"[TestSupport] could not record the Testcontainers session in {file}: {exception.Message}");
            }
        }
    }
}
