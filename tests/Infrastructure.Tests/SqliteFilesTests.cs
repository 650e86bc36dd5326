using EmsAchse.TestSupport;
using Xunit;

namespace EmsAchse.Infrastructure.Tests;

public sealed class SqliteFilesTests
{
    [Fact]
    public void New_database_is_a_fresh_file_path_in_the_test_folder()
    {
        var first = SqliteFiles.NewDatabase("members");
        var second = SqliteFiles.NewDatabase();

        Assert.NotEqual(first, second);
        Assert.StartsWith("Data Source=", first, StringComparison.Ordinal);
        var path = first["Data Source=".Length..];
        Assert.Equal(SqliteFiles.Folder, Path.GetDirectoryName(path));
        Assert.StartsWith("members-", Path.GetFileName(path), StringComparison.Ordinal);
        Assert.EndsWith(".db", path, StringComparison.Ordinal);
        Assert.True(Directory.Exists(SqliteFiles.Folder));
        Assert.False(File.Exists(path));
    }
}
