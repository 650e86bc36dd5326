using System.Globalization;
using System.Text;

namespace EmsAchse.TestSupport;

/// <summary>Fresh SQLite database files for tests, under /tmp/emsachse-tests (outside the repository).</summary>
public static class SqliteFiles
{
    /// <summary>The folder holding the test database files.</summary>
    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "emsachse-tests");

    /// <summary>
    /// Returns the connection string of a new, not yet existing database file
    /// (<c>Data Source=/tmp/emsachse-tests/[prefix-]&lt;guid&gt;.db</c>); the folder is created.
    /// </summary>
    /// <param name="prefix">Optional readable start of the file name (letters, digits, - and _ are kept).</param>
    public static string NewDatabase(string? prefix = null)
    {
        Directory.CreateDirectory(Folder);

        var name = new StringBuilder();
        foreach (var c in prefix ?? string.Empty)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                name.Append(c);
            }
        }

        if (name.Length > 0)
        {
            name.Append('-');
        }

        name.Append(Guid.NewGuid().ToString("N"));
        return string.Create(CultureInfo.InvariantCulture, $"Data Source={Path.Combine(Folder, name + ".db")}");
    }
}
