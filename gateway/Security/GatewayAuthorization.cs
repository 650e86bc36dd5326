using EmsAchse.Platform.Hosting;
using Microsoft.AspNetCore.Authorization;

namespace EmsAchse.Gateway.Security;

/// <summary>
/// Deny by default: every route needs a caller with a platform role unless its configuration says
/// <c>"AuthorizationPolicy": "anonymous"</c>. Integrators only read. The services then authorise again in detail.
/// </summary>
internal static class GatewayAuthorization
{
    /// <summary>Policy scheme: X-Api-Key if the caller sends one, else the bearer token.</summary>
    public const string Scheme = "gateway";

    public static void AddGatewayAuthorization(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationHandler, IntegratorsReadOnlyHandler>();
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(PlatformCaller())
            .SetFallbackPolicy(PlatformCaller());
    }

    private static AuthorizationPolicy PlatformCaller() => new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser()
        .RequireRole(Roles.Admin, Roles.NetworkManager, Roles.Integrator)
        .AddRequirements(new IntegratorsReadOnly())
        .Build();
}

internal sealed class IntegratorsReadOnly : IAuthorizationRequirement;

/// <summary>An integrator (and nobody else without a writing role) may only GET, HEAD and OPTIONS.</summary>
internal sealed class IntegratorsReadOnlyHandler : AuthorizationHandler<IntegratorsReadOnly>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, IntegratorsReadOnly requirement)
    {
        var mayWrite = context.User.IsInRole(Roles.Admin) || context.User.IsInRole(Roles.NetworkManager);
        var method = (context.Resource as HttpContext)?.Request.Method;
        if (mayWrite || (method is not null && (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method))))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
