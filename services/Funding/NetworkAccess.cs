using System.Security.Claims;
using EmsAchse.Platform.Hosting;

namespace EmsAchse.Funding;

/// <summary>Who may read a network's fee schedule and site budgets: admins, integrators (read-only systems) and that network's own managers.</summary>
internal static class NetworkAccess
{
    public static bool CanReadNetwork(this ClaimsPrincipal user, string slug) =>
        user.IsInRole(Roles.Integrator) || user.CanManageNetwork(slug);

    /// <summary>403 problem details for a manager of another network.</summary>
    public static ForbiddenProblem? ForbidReadUnlessReads(this ClaimsPrincipal user, string slug) =>
        user.CanReadNetwork(slug)
            ? null
            : new ForbiddenProblem("Not allowed for this network.", $"Only an admin, an integrator or a manager of '{slug}' may read this.");
}
