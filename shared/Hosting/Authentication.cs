using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace EmsAchse.Platform.Hosting;

public static class Roles
{
    public const string Admin = "admin";
    public const string NetworkManager = "network-manager";
    public const string Integrator = "integrator";
}

public static class Policies
{
    public const string Admin = "admin";

    /// <summary>Any authenticated caller with one of the platform's roles.</summary>
    public const string AnyRole = "any-role";

    /// <summary>
    /// An admin or a network manager; the endpoint then decides whether the caller manages the network concerned
    /// (<see cref="AuthenticationSetup.ForbidUnlessManages"/>), so integrators never get that far.
    /// </summary>
    public const string Manager = "manager";
}

public static class PlatformClaims
{
    public const string Role = "role";
    public const string Network = "network";
    public const string Name = "name";
}

public sealed class JwtOptions : IValidatableObject
{
    public const string Section = "Jwt";

    /// <summary>Only for the local development environment; refused anywhere else.</summary>
    public const string DevelopmentSigningKey = "emsachse-development-signing-key-not-for-production-use-0123456789";

    public string Issuer { get; set; } = "emsachse-dev";
    public string Audience { get; set; } = "emsachse";

    /// <summary>
    /// HS256 key shared by the gateway and the services: on its own for local and test use; next to
    /// <see cref="Authority"/> it signs only the tokens the gateway mints for API-key callers.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>OpenID Connect authority (production): user tokens' keys come from its discovery document.</summary>
    public string? Authority { get; set; }

    /// <summary>
    /// The authority's discovery document at an internal address, when its issuer is a public URL (identity behind the
    /// gateway): the document and the keys are fetched there instead.
    /// </summary>
    public string? MetadataAddress { get; set; }

    /// <summary>Only a local or test authority may serve its discovery document over plain HTTP.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    internal bool AllowDevelopmentKey { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Authority) && string.IsNullOrWhiteSpace(SigningKey))
        {
            yield return new ValidationResult("Set Jwt:Authority (OpenID Connect) or Jwt:SigningKey.", [nameof(SigningKey)]);
        }
        if (SigningKey is { Length: > 0 and < 32 })
        {
            yield return new ValidationResult("Jwt:SigningKey must be at least 32 characters for HS256.", [nameof(SigningKey)]);
        }
        if (SigningKey == DevelopmentSigningKey && !AllowDevelopmentKey)
        {
            yield return new ValidationResult("Jwt:SigningKey is the development key, which works only in the Development environment.", [nameof(SigningKey)]);
        }
    }
}

public static class AuthenticationSetup
{
    public static void AddPlatformAuthentication(this IHostApplicationBuilder builder)
    {
        // Only Development: tests and scripts that run in another environment configure a key of their own.
        var isDevelopment = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<JwtOptions>()
            .Bind(builder.Configuration.GetSection(JwtOptions.Section))
            .PostConfigure(o => o.AllowDevelopmentKey = isDevelopment)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ValidatedTokenCache>();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>, ValidatedTokenCache>((bearer, jwtOptions, validated) =>
            {
                var jwt = jwtOptions.Value;
                bearer.MapInboundClaims = false;
                // Nothing reads the token back from the ticket: the gateway forwards the caller's header as it came.
                bearer.SaveToken = false;
                var handlers = bearer.TokenHandlers.ToList();
                bearer.TokenHandlers.Clear();
                foreach (var handler in handlers)
                {
                    bearer.TokenHandlers.Add(validated.Around(handler));
                }
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Issuer,
                    ValidAudience = jwt.Audience,
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    RoleClaimType = PlatformClaims.Role,
                    NameClaimType = PlatformClaims.Name,
                };
                if (!string.IsNullOrWhiteSpace(jwt.Authority))
                {
                    bearer.Authority = jwt.Authority;
                    bearer.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
                    // A service that started before its authority, or missed a key rotation, asks again within seconds.
                    bearer.RefreshInterval = TimeSpan.FromSeconds(10);
                    if (!string.IsNullOrWhiteSpace(jwt.MetadataAddress))
                    {
                        bearer.MetadataAddress = jwt.MetadataAddress;
                        bearer.BackchannelHttpHandler = new AuthorityAddressMap(jwt.Authority, jwt.MetadataAddress);
                    }
                }
                if (!string.IsNullOrWhiteSpace(jwt.SigningKey))
                {
                    // With an authority too, both are accepted: its keys for users' tokens, this one for the tokens the
                    // gateway mints for API-key callers (issuer Jwt:Issuer). A symmetric key only ever verifies HS256,
                    // and the authority's asymmetric keys never do, so one cannot pass for the other.
                    bearer.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.SigningKey));
                    if (string.IsNullOrWhiteSpace(jwt.Authority))
                    {
                        bearer.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
                    }
                }
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.AnyRole, p => p.RequireRole(Roles.Admin, Roles.NetworkManager, Roles.Integrator))
            .AddPolicy(Policies.Manager, p => p.RequireRole(Roles.Admin, Roles.NetworkManager));
    }

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin);

    /// <summary>An admin, or a network manager whose token names this network.</summary>
    public static bool CanManageNetwork(this ClaimsPrincipal user, string slug) =>
        user.IsAdmin()
        || (user.IsInRole(Roles.NetworkManager)
            && user.FindAll(PlatformClaims.Network).Any(c => string.Equals(c.Value, slug, StringComparison.OrdinalIgnoreCase)));

    /// <summary>403 problem details unless the caller may manage the network.</summary>
    public static ForbiddenProblem? ForbidUnlessManages(this ClaimsPrincipal user, string slug) =>
        user.CanManageNetwork(slug)
            ? null
            : new ForbiddenProblem("Not allowed for this network.", $"Only an admin or a manager of '{slug}' may do this.");
}
