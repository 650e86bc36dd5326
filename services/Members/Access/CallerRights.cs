using System.Security.Claims;
using EmsAchse.Platform.Hosting;

namespace EmsAchse.Members.Access;

/// <summary>What a caller may do as staff: everything (admin), or manage the networks its token names (lower-case slugs).</summary>
public sealed record CallerRights(bool IsAdmin, IReadOnlySet<string> ManagedNetworks)
{
    public static readonly CallerRights Public = new(false, new HashSet<string>());

    public static CallerRights Of(ClaimsPrincipal user) =>
        new(
            user.IsAdmin(),
            user.IsInRole(Roles.NetworkManager)
                ? user.FindAll(PlatformClaims.Network).Select(c => c.Value.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal)
                : new HashSet<string>());

    public static CallerRights Manager(params string[] networks) => new(false, networks.ToHashSet(StringComparer.Ordinal));

    /// <summary>An admin, or a manager of this network.</summary>
    public bool Manages(string network) => IsAdmin || ManagedNetworks.Contains(network);
}
