using System.Security.Claims;
using EmsAchse.Platform.Hosting;

namespace EmsAchse.Portal.SignIn;

/// <summary>The signed-in user as the console sees them: an admin (every network) and/or the manager of some networks.</summary>
public sealed record ConsoleUser(string Id, string Name, string? Email, bool IsAdmin, IReadOnlyList<string> Networks)
{
    public static ConsoleUser? From(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        var networks = user.FindAll(PlatformClaims.Network).Select(c => c.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new ConsoleUser(
            user.FindFirst("sub")?.Value ?? "",
            user.FindFirst(PlatformClaims.Name)?.Value ?? user.FindFirst("email")?.Value ?? "",
            user.FindFirst("email")?.Value,
            user.IsInRole(Roles.Admin),
            user.IsInRole(Roles.NetworkManager) ? networks : []);
    }

    public bool IsManager => Networks.Count > 0;

    /// <summary>May use the console at all.</summary>
    public bool HasConsole => IsAdmin || IsManager;

    /// <summary>Runs this network: an admin runs every network, a manager only those of their <c>network</c> claims.</summary>
    public bool Manages(string? slug) =>
        !string.IsNullOrEmpty(slug) && (IsAdmin || Networks.Contains(slug, StringComparer.Ordinal));
}
