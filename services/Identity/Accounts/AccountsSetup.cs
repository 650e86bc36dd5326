using EmsAchse.Identity.Data;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;

namespace EmsAchse.Identity.Accounts;

public static class AccountsSetup
{
    public const int MaxFailedSignIns = 5;
    public const string SignInLimit = "sign-in";

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
            })
            .AddEntityFrameworkStores<IdentityDb>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<Managers.InvitationTokenProvider>(Managers.InvitationTokenProvider.ProviderName);

        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "emsachse.identity";
            o.Cookie.Path = Hosting.WebAppDefaults.PathBase;
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
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "emsachse.identity.antiforgery";
            o.Cookie.Path = Hosting.WebAppDefaults.PathBase;
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
        });
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<Audit.AuditTrail>();
        builder.Services.AddScoped<AccountPrincipals>();
        builder.Services.AddScoped<InitialAdmin>();
    }
}
