using System.Collections.Immutable;
using System.Security.Claims;
using EmsAchse.Identity.Data;
using EmsAchse.Platform.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace EmsAchse.Identity.Accounts;

/// <summary>
/// The claims a token carries, exactly as the platform's development tokens carry them: <c>sub</c>, <c>name</c>,
/// <c>role</c>, one <c>network</c> per managed slug. Always built from the account as it is now, so a right
/// taken away never survives a refresh.
/// </summary>
public sealed class AccountPrincipals(UserManager<Account> accounts, IOptions<IdentityServiceOptions> options)
{
    public async Task<ClaimsPrincipal> ForAccountAsync(Account account, ImmutableArray<string> scopes)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, account.Id)
            .SetClaim(Claims.Name, account.DisplayName)
            .SetClaim(Claims.Email, account.Email);
        identity.SetClaims(Claims.Role, [.. await accounts.GetRolesAsync(account)]);
        var networks = (await accounts.GetClaimsAsync(account))
            .Where(c => c.Type == PlatformClaims.Network)
            .Select(c => c.Value)
            .Distinct(StringComparer.Ordinal);
        identity.SetClaims(PlatformClaims.Network, [.. networks]);
        return Finish(identity, scopes);
    }

    /// <summary>An integrator's system (client credentials): read-only, named after its registration.</summary>
    public ClaimsPrincipal ForIntegrator(string clientId, string? displayName, ImmutableArray<string> scopes)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, clientId)
            .SetClaim(Claims.Name, displayName ?? clientId)
            .SetClaim(Claims.Role, Roles.Integrator);
        return Finish(identity, scopes);
    }

    private static ClaimsIdentity NewIdentity() =>
        new(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);

    private ClaimsPrincipal Finish(ClaimsIdentity identity, ImmutableArray<string> scopes)
    {
        identity.SetScopes(scopes);
        identity.SetResources(options.Value.Audience);
        identity.SetDestinations(Destinations);
        return new ClaimsPrincipal(identity);
    }

    private static IEnumerable<string> Destinations(Claim claim) => claim.Type switch
    {
        Claims.Subject or Claims.Name or Claims.Role or PlatformClaims.Network => [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        Claims.Email => [OpenIddictConstants.Destinations.IdentityToken],
        _ => [],
    };
}
