using System.Net;
using EmsAchse.Identity.Data;

namespace EmsAchse.Identity.Audit;

/// <summary>
/// Appends to an account's audit trail through the request's <see cref="IdentityDb"/>, so the entry commits with the
/// change it records: callers open the transaction, <see cref="Add"/> the entry and save once (or use
/// <see cref="InTransactionAsync{T}"/>). The address is the connection's after the forwarded headers, which only the
/// gateway may set.
/// </summary>
public sealed class AuditTrail(IdentityDb db, IHttpContextAccessor http, TimeProvider time)
{
    public void Add(Account account, string kind, string? network = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            AccountId = account.Id,
            Email = account.Email ?? "",
            Kind = kind,
            Network = network,
            Address = Address(http.HttpContext?.Connection.RemoteIpAddress),
        });

    /// <summary>An entry that records no change of its own (a sign-out), committed on its own.</summary>
    public async Task RecordAsync(Account account, string kind, string? network, CancellationToken cancellationToken)
    {
        Add(account, kind, network);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Runs <paramref name="change"/> and the entries it adds in one transaction, committed once both are saved.</summary>
    public async Task<T> InTransactionAsync<T>(Func<Task<T>> change, CancellationToken cancellationToken = default)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            var inner = await change();
            await db.SaveChangesAsync(cancellationToken);
            return inner;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await change();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static string? Address(IPAddress? address) =>
        address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
