using System.Security.Cryptography;
using EmsAchse.Identity.Data;
using EmsAchse.Platform.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EmsAchse.Identity.Accounts;

/// <summary>
/// At first start: the platform's roles and one admin, whose generated password goes into a file readable by the
/// owner only (deploy/run.sh prints it); the database keeps only its hash.
/// </summary>
public sealed partial class InitialAdmin(
    UserManager<Account> accounts,
    RoleManager<IdentityRole> roles,
    IOptions<IdentityServiceOptions> options,
    IHostEnvironment environment,
    ILogger<InitialAdmin> logger)
{
    public static readonly string[] PlatformRoles = [Roles.Admin, Roles.NetworkManager];

    public async Task EnsureAsync()
    {
        foreach (var role in PlatformRoles)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)));
            }
        }
        if ((await accounts.GetUsersInRoleAsync(Roles.Admin)).Count > 0)
        {
            return;
        }

        var settings = options.Value.InitialAdmin;
        var account = new Account { UserName = settings.Email, Email = settings.Email, EmailConfirmed = true, DisplayName = settings.Name };
        var password = NewPassword();
        Check(await accounts.CreateAsync(account, password));
        Check(await accounts.AddToRoleAsync(account, Roles.Admin));

        var file = PasswordFile(options.Value, environment);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, $"{settings.Email}\n{password}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        LogCreated(settings.Email, file);
    }

    public static string PasswordFile(IdentityServiceOptions options, IHostEnvironment environment) =>
        Path.GetFullPath(options.InitialAdmin.PasswordFile ?? Path.Combine(environment.ContentRootPath, ".data", "identity-initial-admin.txt"));

    /// <summary>24 characters from all four classes Identity's password rules ask for.</summary>
    public static string NewPassword() =>
        RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyz", 10)
        + RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZ", 6)
        + RandomNumberGenerator.GetString("23456789", 6)
        + RandomNumberGenerator.GetString("-_.!", 2);

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the first admin {Email}; its one-time password is in {File} (delete the file once it is kept somewhere safe)")]
    private partial void LogCreated(string email, string file);
}
