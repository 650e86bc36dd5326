using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmsAchse.Platform.Hosting;

/// <summary>The paged list shape of every list endpoint: { items, page, pageSize, total }.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);

/// <summary>?page=1&amp;pageSize=50, pageSize at most 200, and page × pageSize at most <see cref="MaxReach"/>.</summary>
public readonly record struct PageRequest(int Page, int PageSize)
{
    public const int MaxPageSize = 200;
    public const int DefaultPageSize = 50;

    /// <summary>How deep paging may reach: the offset stays far from int overflow, and deeper reads narrow the query instead.</summary>
    public const int MaxReach = 1_000_000;

    public int Offset => (Page - 1) * PageSize;

    /// <summary>Reads and checks the paging parameters; field errors for the 400 answer otherwise.</summary>
    public static bool TryCreate(int? page, int? pageSize, out PageRequest request, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var p = page ?? 1;
        var size = pageSize ?? DefaultPageSize;
        if (p < 1)
        {
            errors["page"] = ["page must be 1 or more."];
        }
        if (size is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        }
        else if (RefuseReach(p, size) is { } refusal)
        {
            errors["page"] = [refusal];
        }
        // A refused request never carries a page whose offset could overflow.
        request = errors.Count == 0 ? new PageRequest(p, size) : new PageRequest(1, DefaultPageSize);
        return errors.Count == 0;
    }

    /// <summary>Why page × pageSize is beyond <see cref="MaxReach"/>, or null when it is within.</summary>
    public static string? RefuseReach(int page, int pageSize) =>
        (long)page * pageSize > MaxReach
            ? $"page × pageSize may be at most {MaxReach} (page {page} × pageSize {pageSize} = {(long)page * pageSize}); narrow the query instead of paging that deep."
            : null;

    public static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The paging parameters are invalid.");
}
