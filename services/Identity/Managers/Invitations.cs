using System.Globalization;
using System.Text;
using EmsAchse.Identity.Accounts;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace EmsAchse.Identity.Managers;

/// <summary>Identity's data-protected token provider with its own lifespan (7 days by default) for set-up links.</summary>
public sealed class InvitationTokenProvider(
    IDataProtectionProvider dataProtectionProvider,
    IOptions<InvitationTokenProviderOptions> options,
    ILogger<DataProtectorTokenProvider<Account>> logger)
    : DataProtectorTokenProvider<Account>(dataProtectionProvider, options, logger)
{
    public const string ProviderName = "invitation";
    public const string Purpose = "set-up";
}

public sealed class InvitationTokenProviderOptions : DataProtectionTokenProviderOptions
{
    public InvitationTokenProviderOptions()
    {
        Name = InvitationTokenProvider.ProviderName;
        TokenLifespan = TimeSpan.FromDays(7);
    }
}

/// <summary>
/// The one-time set-up link: account id and Identity's token in one query value. The token is bound to the account's
/// security stamp, which setting the password changes, so a used link is refused like an expired one.
/// </summary>
public sealed class Invitations(UserManager<Account> accounts, IOptions<IdentityServiceOptions> options, IHostEnvironment environment, TimeProvider time)
{
    public async Task<Uri> CreateLinkAsync(Account account)
    {
        var token = await accounts.GenerateUserTokenAsync(account, InvitationTokenProvider.ProviderName, InvitationTokenProvider.Purpose);
        var value = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes($"{account.Id}:{token}"));
        return new Uri(options.Value.Issuer!, $"einrichten?token={value}");
    }

    /// <summary>The account the link sets up, or null for a link that is malformed, expired or used.</summary>
    public async Task<Account?> RedeemableAsync(string? link)
    {
        if (string.IsNullOrEmpty(link))
        {
            return null;
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(link));
        }
        catch (FormatException)
        {
            return null;
        }
        var separator = decoded.IndexOf(':', StringComparison.Ordinal);
        if (separator <= 0)
        {
            return null;
        }
        var account = await accounts.FindByIdAsync(decoded[..separator]);
        if (account is null || await accounts.HasPasswordAsync(account))
        {
            return null;
        }
        return await accounts.VerifyUserTokenAsync(account, InvitationTokenProvider.ProviderName, InvitationTokenProvider.Purpose, decoded[(separator + 1)..])
            ? account
            : null;
    }

    /// <summary>Development: the invitation is written as an .eml file into the mail folder (SMTP is not wired yet).</summary>
    public async Task SendAsync(Account account, Uri link, string networkSlug, CancellationToken cancellationToken)
    {
        var folder = MailFolder(options.Value, environment);
        Directory.CreateDirectory(folder);
        var now = time.GetUtcNow();
        var body = $"""
            Guten Tag {account.DisplayName},

            Sie wurden als Netzwerkmanagerin oder Netzwerkmanager für das Netzwerk „{networkSlug}“ der Ems-Achse eingetragen.
            Bitte legen Sie Ihr Passwort über diesen Link fest (gültig bis {now.Add(options.Value.InvitationLifespan).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture)} UTC, nur einmal verwendbar):

            {link}

            Danach melden Sie sich mit Ihrer E-Mail-Adresse und diesem Passwort an.
            """;
        var message = $"""
            From: Ems-Achse <no-reply@ems-achse.local>
            To: {Encoded(account.DisplayName)} <{account.Email}>
            Subject: {Encoded("Einladung zur Ems-Achse-Plattform")}
            Date: {now.ToString("r", CultureInfo.InvariantCulture)}
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            {body}
            """.ReplaceLineEndings("\r\n");
        var file = Path.Combine(folder, $"{now:yyyyMMdd'T'HHmmssfff}-einladung-{account.Id}.eml");
        await File.WriteAllTextAsync(file, message, new UTF8Encoding(false), cancellationToken);
    }

    public static string MailFolder(IdentityServiceOptions options, IHostEnvironment environment) =>
        Path.GetFullPath(options.MailFolder ?? Path.Combine(environment.ContentRootPath, ".data", "mail"));

    private static string Encoded(string text) => $"=?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(text))}?=";
}
