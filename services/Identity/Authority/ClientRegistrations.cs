using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace EmsAchse.Identity.Authority;

/// <summary>The clients the authority knows: the portal (from configuration, at every start) and integrators' systems (by an admin).</summary>
public sealed class ClientRegistrations(IOpenIddictApplicationManager applications, IOptions<IdentityServiceOptions> options)
{
    /// <summary>Marks integrators' clients among the applications, so the API lists and deletes only those.</summary>
    private const string IntegratorPrefix = "integrator-";

    /// <summary>Creates or updates the portal client as configured: code flow with PKCE, refresh tokens, end session.</summary>
    public async Task EnsurePortalAsync(CancellationToken cancellationToken)
    {
        var portal = options.Value.Portal;
        if (string.IsNullOrWhiteSpace(portal.ClientSecret))
        {
            return;
        }
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = PortalClient.ClientId,
            ClientSecret = portal.ClientSecret,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "Portal Ems-Achse",
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
                Permissions.Scopes.Email,
                Permissions.Scopes.Roles,
                Permissions.Prefixes.Scope + AuthoritySetup.AccessTokenScope,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in portal.RedirectUris)
        {
            descriptor.RedirectUris.Add(new Uri(uri, UriKind.Absolute));
        }
        foreach (var uri in portal.PostLogoutRedirectUris)
        {
            descriptor.PostLogoutRedirectUris.Add(new Uri(uri, UriKind.Absolute));
        }
        var existing = await applications.FindByClientIdAsync(PortalClient.ClientId, cancellationToken);
        if (existing is null)
        {
            await applications.CreateAsync(descriptor, cancellationToken);
        }
        else
        {
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }
    }

    /// <summary>A new integrator client (client credentials, read-only role); the secret is shown once and kept only as a hash.</summary>
    public async Task<IntegratorClientCreated> CreateIntegratorAsync(string name, CancellationToken cancellationToken)
    {
        var clientId = IntegratorPrefix + RandomNumberGenerator.GetHexString(16, lowercase: true);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = name,
            Permissions =
            {
                Permissions.Endpoints.Token,
                Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.ClientCredentials,
                Permissions.Prefixes.Scope + AuthoritySetup.AccessTokenScope,
            },
        };
        await applications.CreateAsync(descriptor, cancellationToken);
        return new IntegratorClientCreated(clientId, secret, name);
    }

    public async Task<List<IntegratorClient>> ListIntegratorsAsync(CancellationToken cancellationToken)
    {
        var result = new List<IntegratorClient>();
        await foreach (var application in applications.ListAsync(count: null, offset: null, cancellationToken))
        {
            var clientId = await applications.GetClientIdAsync(application, cancellationToken);
            if (clientId is not null && clientId.StartsWith(IntegratorPrefix, StringComparison.Ordinal))
            {
                result.Add(new IntegratorClient(clientId, await applications.GetDisplayNameAsync(application, cancellationToken) ?? clientId));
            }
        }
        return result;
    }

    /// <summary>Removes the client; its tokens stop working within an access token's lifetime.</summary>
    public async Task<bool> DeleteIntegratorAsync(string clientId, CancellationToken cancellationToken)
    {
        if (!clientId.StartsWith(IntegratorPrefix, StringComparison.Ordinal)
            || await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application)
        {
            return false;
        }
        await applications.DeleteAsync(application, cancellationToken);
        return true;
    }
}

public sealed record IntegratorClient(string ClientId, string Name);

public sealed record IntegratorClientCreated(string ClientId, string ClientSecret, string Name);
