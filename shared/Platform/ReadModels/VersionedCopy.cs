using System.Globalization;
using EmsAchse.Platform.Persistence;

namespace EmsAchse.Platform.ReadModels;

/// <summary>
/// A table holding this service's copy of another service's aggregate, one row per key, and the one version rule
/// every such copy follows: a row changes only for a newer version of it, so redelivered, reordered or replayed
/// events leave the same state. Parameters are the columns in PascalCase (<c>network_slug</c> is <c>@NetworkSlug</c>).
/// </summary>
public sealed class VersionedCopy
{
    private readonly string _newerWins;
    private readonly string _equalOrNewerWins;
    private readonly string _heldVersion;

    public VersionedCopy(string table, string key, params string[] columns)
    {
        Table = table;
        string[] all = [key, .. columns, "version"];
        var insert = $"INSERT INTO {table} ({string.Join(", ", all)}) VALUES ({string.Join(", ", all.Select(c => "@" + Parameter(c)))})";
        var update = string.Join(", ", all.Skip(1).Select(c => $"{c} = excluded.{c}"));
        var upsert = $"{insert}\nON CONFLICT ({key}) DO UPDATE SET {update}\nWHERE {table}.version ";
        _newerWins = upsert + "< excluded.version";
        _equalOrNewerWins = upsert + "<= excluded.version";
        _heldVersion = $"SELECT version FROM {table} WHERE {key} = @{Parameter(key)}";
    }

    public string Table { get; }

    /// <summary>True if <paramref name="incoming"/> replaces what is held (nothing held counts as older).</summary>
    public static bool Supersedes(long incoming, long? held) => held is not { } current || incoming > current;

    /// <summary>Writes <paramref name="row"/> unless the copy holds the same or a newer version.</summary>
    /// <returns>true if the row was written.</returns>
    public async Task<bool> UpsertAsync(WriteTransaction tx, object row) => await tx.ExecuteAsync(_newerWins, row) > 0;

    /// <summary>
    /// As <see cref="UpsertAsync"/>, but an equal version replaces too: for facts whose version 0 means "not announced
    /// yet", where the last of several unannounced arrivals wins. On PostgreSQL it locks the row even when it changes
    /// nothing, which serialises the writers of one key.
    /// </summary>
    public Task UpsertUnlessOlderAsync(WriteTransaction tx, object row) => tx.ExecuteAsync(_equalOrNewerWins, row);

    /// <summary>The version held for the key (an object with the key's parameter), or null.</summary>
    public Task<long?> HeldVersionAsync(WriteTransaction tx, object key) => tx.QuerySingleOrDefaultAsync<long?>(_heldVersion, key);

    internal static string Parameter(string column) =>
        string.Concat(column.Split('_').Select(part => part.Length == 0 ? "" : char.ToUpper(part[0], CultureInfo.InvariantCulture) + part[1..]));
}
