using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EmsAchse.Members.Organizations;

/// <summary>
/// Two writers that checked a uniqueness rule at the same moment: the index refuses the second. Running
/// the write once more lets it see the winner's row and answer the rule's 409 like any other refusal.
/// </summary>
internal static class UniqueViolation
{
    public static async Task<T> RetryOnceAsync<T>(Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch (DbException ex) when (Is(ex))
        {
            return await write();
        }
    }

    public static bool Is(DbException exception) => exception switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode == 2067, // SQLITE_CONSTRAINT_UNIQUE
        _ => false,
    };
}
