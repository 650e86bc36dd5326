using EmsAchse.Identity.Data;
using EmsAchse.Identity.Hosting;
using EmsAchse.Platform.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EmsAchse.Identity.Audit;

/// <summary>Admins read the audit trail, newest first, paged like every list: all accounts or one.</summary>
public static class AuditApi
{
    public static void MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/audit", async (int? page, int? pageSize, string? account, string? kind, IdentityDb db, CancellationToken cancellationToken) =>
        {
            if (!PageRequest.TryCreate(page, pageSize, out var paging, out var errors) | !ValidKind(kind, errors))
            {
                return PageRequest.Invalid(errors);
            }
            return Results.Ok(await ReadAsync(db, paging, string.IsNullOrWhiteSpace(account) ? null : account.Trim(), kind, cancellationToken));
        }).RequireAuthorization(ApiPolicies.Admin);

        endpoints.MapGet("/api/accounts/{id}/audit", async (string id, int? page, int? pageSize, string? kind, IdentityDb db, UserManager<Account> accounts, CancellationToken cancellationToken) =>
        {
            if (!PageRequest.TryCreate(page, pageSize, out var paging, out var errors) | !ValidKind(kind, errors))
            {
                return PageRequest.Invalid(errors);
            }
            if (await accounts.FindByIdAsync(id) is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such account.", detail: $"No account '{id}'.");
            }
            return Results.Ok(await ReadAsync(db, paging, id, kind, cancellationToken));
        }).RequireAuthorization(ApiPolicies.Admin);
    }

    private static bool ValidKind(string? kind, Dictionary<string, string[]> errors)
    {
        if (kind is null || AuditKinds.All.Contains(kind, StringComparer.Ordinal))
        {
            return true;
        }
        errors["kind"] = [$"kind must be one of: {string.Join(", ", AuditKinds.All)}."];
        return false;
    }

    private static async Task<PagedList<AuditItem>> ReadAsync(IdentityDb db, PageRequest paging, string? account, string? kind, CancellationToken cancellationToken)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (account is not null)
        {
            query = query.Where(e => e.AccountId == account);
        }
        if (kind is not null)
        {
            query = query.Where(e => e.Kind == kind);
        }
        var total = await query.LongCountAsync(cancellationToken);
        var entries = await query
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip(paging.Offset).Take(paging.PageSize)
            .ToListAsync(cancellationToken);
        var items = entries.Select(e => new AuditItem(
            e.Id, new DateTimeOffset(DateTime.SpecifyKind(e.At, DateTimeKind.Utc)), e.AccountId, e.Email, e.Kind, e.Network, e.Address)).ToList();
        return new PagedList<AuditItem>(items, paging.Page, paging.PageSize, total);
    }
}

public sealed record AuditItem(long Id, DateTimeOffset At, string AccountId, string Email, string Kind, string? Network, string? Address);
