using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EmsAchse.Identity.Data;
using EmsAchse.Identity.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace EmsAchse.Identity.Authority;

/// <summary>The OpenID Connect authority: OpenIddict's server (endpoints, grants, keys) and its validation for identity's own API.</summary>
public static class AuthoritySetup
{
    public const string AccessTokenScope = "emsachse";
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(5);

    public static void AddAuthority(this WebApplicationBuilder builder, IdentityServiceOptions settings)
    {
        var isDevelopment = builder.Environment.IsDevelopment();
        var keysFolder = Path.GetFullPath(settings.KeysFolder ?? Path.Combine(builder.Environment.ContentRootPath, ".data", "identity-keys"));
        // The sign-in cookie's keys survive a restart, like the token keys.
        builder.Services.AddDataProtection()
            .SetApplicationName("emsachse-identity")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(keysFolder, "data-protection")));

        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<IdentityDb>())
            .AddServer(o =>
            {
                o.SetIssuer(settings.Issuer!);
                // Relative to the path base /identity; discovery and JWKS keep their defaults under .well-known/.
                o.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetUserInfoEndpointUris("connect/userinfo")
                    .SetEndSessionEndpointUris("connect/endsession")
                    .SetRevocationEndpointUris("connect/revoke");
                PublicEndpoints.Register(o, settings.Issuer!);
                o.AllowAuthorizationCodeFlow()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow();
                o.RequireProofKeyForCodeExchange();
                o.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.Roles, Scopes.OfflineAccess, AccessTokenScope);
                o.SetAccessTokenLifetime(AccessTokenLifetime);
                o.SetRefreshTokenLifetime(TimeSpan.FromDays(14));
                // The services validate the access token themselves (JwtBearer): a signed, unencrypted JWT.
                o.DisableAccessTokenEncryption();

                if (settings.SigningCertificates.Count > 0)
                {
                    foreach (var certificate in settings.SigningCertificates)
                    {
                        o.AddSigningCertificate(Load(certificate));
                    }
                    foreach (var certificate in settings.EncryptionCertificates)
                    {
                        o.AddEncryptionCertificate(Load(certificate));
                    }
                }
                else
                {
                    o.AddSigningKey(DevelopmentKeys.LoadOrCreate(Path.Combine(keysFolder, "signing.pem")));
                    o.AddEncryptionKey(DevelopmentKeys.LoadOrCreate(Path.Combine(keysFolder, "encryption.pem")));
                }

                var aspNetCore = o.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
                if (isDevelopment)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.AddAudiences(settings.Audience);
                o.UseAspNetCore();
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.Admin, p => p
                .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                .RequireRole(Platform.Hosting.Roles.Admin));
        builder.Services.AddScoped<ClientRegistrations>();
    }

    private static X509Certificate2 Load(CertificateFile file) =>
        X509CertificateLoader.LoadPkcs12FromFile(file.Path, file.Password, X509KeyStorageFlags.EphemeralKeySet);
}

/// <summary>
/// Discovery names every endpoint under the issuer, the gateway's public URL, whichever address it was asked on (the
/// services read it from identity's internal address). Requests still match the relative endpoint paths on any host.
/// </summary>
internal static class PublicEndpoints
{
    public static void Register(OpenIddictServerBuilder server, Uri issuer) =>
        server.AddEventHandler<OpenIddictServerEvents.HandleConfigurationRequestContext>(b => b
            .UseInlineHandler(context =>
            {
                Uri? Public(Uri? uri)
                {
                    if (uri is null || context.BaseUri is not { } baseUri || Uri.Compare(uri, baseUri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
                    {
                        return uri;
                    }
                    var prefix = WebAppDefaults.PathBase + "/";
                    var path = uri.AbsolutePath.StartsWith(prefix, StringComparison.Ordinal) ? uri.AbsolutePath[prefix.Length..] : uri.AbsolutePath.TrimStart('/');
                    return new Uri(issuer, path);
                }
                context.AuthorizationEndpoint = Public(context.AuthorizationEndpoint);
                context.TokenEndpoint = Public(context.TokenEndpoint);
                context.UserInfoEndpoint = Public(context.UserInfoEndpoint);
                context.EndSessionEndpoint = Public(context.EndSessionEndpoint);
                context.RevocationEndpoint = Public(context.RevocationEndpoint);
                context.JsonWebKeySetEndpoint = Public(context.JsonWebKeySetEndpoint);
                context.IntrospectionEndpoint = Public(context.IntrospectionEndpoint);
                context.DeviceAuthorizationEndpoint = Public(context.DeviceAuthorizationEndpoint);
                context.PushedAuthorizationEndpoint = Public(context.PushedAuthorizationEndpoint);
                return ValueTask.CompletedTask;
            })
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachEndpoints.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom));
}

/// <summary>Development only: RSA keys created once under the data folder, so tokens outlive a restart.</summary>
internal static class DevelopmentKeys
{
    public static RsaSecurityKey LoadOrCreate(string file)
    {
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            using var created = RSA.Create(2048);
            var temporary = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllText(temporary, created.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            try
            {
                File.Move(temporary, file, overwrite: false);
            }
            catch (IOException) when (File.Exists(file))
            {
                // Another instance on the same folder was first: use its key.
                File.Delete(temporary);
            }
        }
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(file));
        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }
}
