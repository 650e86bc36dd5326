using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace EmsAchse.Portal.SignIn;

/// <summary>
/// The console's authorization policies, for <c>[Authorize(Policy = ...)]</c> on its pages. An anonymous visitor is sent
/// to sign in; a signed-in user who fails one is sent to the German 403 page. The services still decide every call.
/// </summary>
public static class ConsolePolicies
{
    /// <summary>Any console user: an admin or a network manager (the default of every page under Pages/Console).</summary>
    public const string Console = "console";

    /// <summary>The alliance's office only.</summary>
    public const string Admin = "console-admin";

    /// <summary>The network in the route's <c>{slug}</c>: its managers and admins.</summary>
    public const string Network = "console-network";
}

/// <summary>The console's fixed addresses.</summary>
public static class ConsolePaths
{
    public const string Home = "/verwaltung";
    public const string NotAllowed = "/verwaltung/kein-zugriff";

    /// <summary>The console of one network (its sections hang below).</summary>
    public static string Network(string slug) => $"/verwaltung/netzwerke/{Uri.EscapeDataString(slug)}";
}

internal sealed class ManagesRouteNetwork : IAuthorizationRequirement;

/// <summary>Met when the user manages the network named by the route value <c>slug</c> (admins manage every network).</summary>
internal sealed class ManagesRouteNetworkHandler : AuthorizationHandler<ManagesRouteNetwork>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ManagesRouteNetwork requirement)
    {
        var slug = context.Resource switch
        {
            HttpContext http => http.GetRouteValue("slug") as string,
            _ => null,
        };
        if (ConsoleUser.From(context.User) is { } user && user.Manages(slug))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
