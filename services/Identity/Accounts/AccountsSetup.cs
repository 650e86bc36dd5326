using System.Threading.RateLimiting;
using EmsAchse.Identity.Audit;
using EmsAchse.Identity.Data;
using EmsAchse.Identity.Hosting;
using Microsoft.AspNetCore.Identity;

namespace EmsAchse.Identity.Accounts;

public static class AccountsSetup
{
    public const int MaxFailedSignIns = 5;
    public const string SignInLimit = "sign-in";
    public const string FormLimit = "forms";

    public static void AddAccounts(this WebApplicationBuilder builder, IdentityServiceOptions settings)
    {
        var isDevelopment = builder.Environment.IsDevelopment();
        builder.Services.AddIdentity<Account, IdentityRole>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 12;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = MaxFailedSignIns;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.SignIn.RequireConfirmedAccount = false;
                // OpenIddict's claim names, so the cookie's principal and the tokens speak the same language.
                o.ClaimsIdentity.UserIdClaimType = OpenIddict.Abstractions.OpenIddictConstants.Claims.Subject;
                o.ClaimsIdentity.UserNameClaimType = OpenIddict.Abstractions.OpenIddictConstants.Claims.Name;
                o.ClaimsIdentity.RoleClaimType = OpenIddict.Abstractions.OpenIddictConstants.Claims.Role;
                o.ClaimsIdentity.EmailClaimType = OpenIddict.Abstractions.OpenIddictConstants.Claims.Email;
                // Version 3 adds the passkeys table (.NET 10); IdentityDb pins the same version for the migrations.
                o.Stores.SchemaVersion = IdentityDb.SchemaVersionInUse;
            })
            .AddEntityFrameworkStores<IdentityDb>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<InvitationTokenProvider>(InvitationTokenProvider.ProviderName);
        builder.Services.Configure<IdentityPasskeyOptions>(o =>
        {
            // A passkey alone signs in, so the authenticator must verify the person (PIN, fingerprint), and the
            // credential must be discoverable: the sign-in page asks for no e-mail address first (no enumeration).
            o.UserVerificationRequirement = "required";
            o.ResidentKeyRequirement = "required";
            // The relying party is the host the visitor sees (the gateway's, by the forwarded headers) unless set.
            o.ServerDomain = settings.PasskeyDomain;
            o.ValidateOrigin = context => ValueTask.FromResult(PasskeyOrigin.IsExpected(
                context.Origin, context.CrossOrigin, context.HttpContext.Request.Scheme, context.HttpContext.Request.Host.Value ?? "", settings.PasskeyDomain));
        });
        builder.Services.AddScoped<Passkeys>();
        builder.Services.Configure<InvitationTokenProviderOptions>(o => o.TokenLifespan = settings.InvitationLifespan);
        builder.Services.AddScoped<Invitations>();

        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "emsachse.identity";
            o.Cookie.Path = WebAppDefaults.PathBase;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // Plain HTTP exists only in Development; everywhere else the cookie never travels unencrypted.
            o.Cookie.SecurePolicy = isDevelopment ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.LoginPath = "/anmelden";
            o.LogoutPath = "/abmelden";
            o.AccessDeniedPath = "/anmelden";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });
        // The cookie between the password and the second factor: as tight as the sign-in cookie.
        builder.Services.Configure<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, o =>
        {
            o.Cookie.Name = "emsachse.identity.2fa";
            o.Cookie.Path = WebAppDefaults.PathBase;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = isDevelopment ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });
        // Password-reset links (Identity's default data-protected provider).
        builder.Services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = settings.PasswordResetLifespan);
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "emsachse.identity.antiforgery";
            o.Cookie.Path = WebAppDefaults.PathBase;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = isDevelopment ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });
        // Per caller address (the gateway's X-Forwarded-For): only the posts count, reading the page is free.
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignInLimit, http => HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.SignInsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter("read"));
            o.AddPolicy(FormLimit, http => HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.FormPostsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter("read"));
        });
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<AuditTrail>();
        builder.Services.AddScoped<AccountPrincipals>();
        builder.Services.AddScoped<PasswordResets>();
        builder.Services.AddScoped<InitialAdmin>();
    }
}
