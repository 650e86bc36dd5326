namespace EmsAchse.TestSupport;

/// <summary>The checkout the tests run from: found upwards from the test's build output by the solution file.</summary>
public static class Repository
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
