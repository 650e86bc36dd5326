using System.Text.Json;
using System.Text.Json.Nodes;

namespace EmsAchse.Platform.Persistence;

/// <summary>
/// Erasure (GDPR) in the outbox: the stored events of some aggregates keep their shape, and the named properties that
/// can hold personal data become null — in events still waiting for the dispatcher (so they leave redacted) and in
/// those already sent (the outbox is a copy of what was said, not an archive of personal data).
/// </summary>
public static class OutboxRedaction
{
    /// <summary>Nulls <paramref name="properties"/> (JSON names, e.g. "reason") in every outbox row of the aggregates; returns how many rows changed.</summary>
    public static async Task<int> RedactAsync(WriteTransaction tx, IReadOnlyCollection<string> aggregateIds, IReadOnlyCollection<string> properties)
    {
        if (aggregateIds.Count == 0 || properties.Count == 0)
        {
            return 0;
        }
        // On PostgreSQL the rows are locked, so a dispatcher that has not taken them yet sends them only redacted.
        // Dapper sends a list to Npgsql as one array parameter, and expands it into a parameter list for SQLite.
        var match = tx.Engine == DatabaseEngine.Postgres ? "aggregate_id = ANY(@aggregateIds)" : "aggregate_id IN @aggregateIds";
        var rows = await tx.QueryAsync<Row>("SELECT id AS Id, body AS Body FROM outbox_messages WHERE " + match + " ORDER BY id" + tx.ForUpdate, new { aggregateIds = aggregateIds.ToArray() });
        var changed = 0;
        foreach (var row in rows)
        {
            if (JsonNode.Parse(row.Body) is not JsonObject body)
            {
                continue;
            }
            var redacted = false;
            foreach (var property in properties)
            {
                if (body.TryGetPropertyValue(property, out var value) && value is not null)
                {
                    body[property] = null;
                    redacted = true;
                }
            }
            if (redacted)
            {
                await tx.ExecuteAsync("UPDATE outbox_messages SET body = @body WHERE id = @Id", new { body = body.ToJsonString(MessageJson.Options), row.Id });
                changed++;
            }
        }
        return changed;
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public string Body { get; init; } = "";
    }
}
