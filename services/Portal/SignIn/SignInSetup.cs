using EmsAchse.Platform.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace EmsAchse.Portal.SignIn;

/// <summary>
/// Sign-in as a backend-for-frontend: a cookie session whose ticket holds the user's tokens (encrypted with the
/// portal's Data Protection keys, never readable by the browser), filled by the OpenID Connect code flow with PKCE
/// against the identity service, and refreshed by the cookie's principal validation (<see cref="TokenRefresh"/>).
/// </summary>
public static class SignInSetup
{
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;
    public const string CookieName = "emsachse.portal";

    /// <summary>The scopes the portal asks for: the claims of <see cref="ConsoleUser"/>, the API's audience and a refresh token.</summary>
    private static readonly string[] Scopes = ["openid", "profile", "email", "roles", "emsachse", "offline_access"];

    public static WebApplicationBuilder AddPortalSignIn(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<SignInOptions>()
            .Bind(builder.Configuration.GetSection(SignInOptions.Section))
            .Configure(o => o.IsDevelopment = development)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Keys under the data folder: a restart (or, sharing the folder, a second instance) keeps every session valid.
        var settings = builder.Configuration.GetSection(SignInOptions.Section).Get<SignInOptions>() ?? new SignInOptions();
        var keys = Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, settings.KeysFolder));
        builder.Services.AddDataProtection()
            .SetApplicationName("emsachse-portal")
            .PersistKeysToFileSystem(new DirectoryInfo(keys));

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTransient<UserAccessTokenHandler>();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieScheme;
                o.DefaultChallengeScheme = OidcScheme;
            })
            .AddCookie(CookieScheme)
            .AddOpenIdConnect(OidcScheme, _ => { });
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IOptions<SignInOptions>>((o, signIn) =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax; // sent on the top-level navigations back from identity, never on cross-site posts
            o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.ExpireTimeSpan = signIn.Value.IdleTimeout;
            o.SlidingExpiration = true;
            o.LoginPath = SignInEndpoints.SignInPath;
            o.AccessDeniedPath = ConsolePaths.NotAllowed;
            o.Events.OnValidatePrincipal = TokenRefresh.ValidateAsync;
        });
        builder.Services.AddOptions<OpenIdConnectOptions>(OidcScheme).Configure<IOptions<SignInOptions>>((o, signIn) =>
        {
            var s = signIn.Value;
            o.Authority = s.Authority.ToString();
            if (s.MetadataAddress is not null)
            {
                o.MetadataAddress = s.MetadataAddress.ToString();
            }
            o.BackchannelHttpHandler = new AuthorityBackchannel(s.Authority, s.MetadataAddress);
            o.RequireHttpsMetadata = !development;
            o.ClientId = s.ClientId;
            o.ClientSecret = s.ClientSecret;
            o.ResponseType = OpenIdConnectResponseType.Code;
            // The code comes back in a plain redirect: a form_post answer submits itself with an inline script, which
            // identity's Content-Security-Policy (rightly) refuses. PKCE binds the code to this session, and the
            // gateway's Referrer-Policy keeps it out of any Referer.
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.UsePkce = true;
            o.SaveTokens = true;
            o.GetClaimsFromUserInfoEndpoint = false; // the identity token carries sub, name, role and network already
            o.MapInboundClaims = false;
            o.DisableTelemetry = true;
            o.Scope.Clear();
            foreach (var scope in Scopes)
            {
                o.Scope.Add(scope);
            }
            o.TokenValidationParameters.NameClaimType = PlatformClaims.Name;
            o.TokenValidationParameters.RoleClaimType = PlatformClaims.Role;
            o.SignedOutRedirectUri = "/";
            if (development)
            {
                // Plain HTTP on loopback: a SameSite=None cookie must be Secure, which HTTP cannot carry. Identity sits
                // behind the same gateway (same site), so Lax reaches the callback too.
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            }
            o.Events.OnRemoteFailure = context =>
            {
                context.Response.Redirect(SignInEndpoints.FailedPath);
                context.HandleResponse();
                return Task.CompletedTask;
            };
            o.Events.OnAccessDenied = context =>
            {
                context.Response.Redirect(SignInEndpoints.FailedPath);
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });

        builder.Services.AddSingleton<IAuthorizationHandler, ManagesRouteNetworkHandler>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ConsolePolicies.Console, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.NetworkManager))
            .AddPolicy(ConsolePolicies.Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .AddPolicy(ConsolePolicies.Network, p => p.RequireAuthenticatedUser().AddRequirements(new ManagesRouteNetwork()));
        return builder;
    }
}
