using System.Globalization;
using EmsAchse.Identity.Data;
using EmsAchse.Identity.Mail;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EmsAchse.Identity.Accounts;

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
public sealed class Invitations(UserManager<Account> accounts, IOptions<IdentityServiceOptions> options, IMailSender mail, TimeProvider time)
{
    public async Task<Uri> CreateLinkAsync(Account account)
    {
        var token = await accounts.GenerateUserTokenAsync(account, InvitationTokenProvider.ProviderName, InvitationTokenProvider.Purpose);
        return new Uri(options.Value.Issuer!, $"einrichten?token={AccountLinks.Encode(account.Id, token)}");
    }

    /// <summary>The account the link sets up, or null for a link that is malformed, expired or used.</summary>
    public async Task<Account?> RedeemableAsync(string? link)
    {
        if (!AccountLinks.TryDecode(link, out var accountId, out var token))
        {
            return null;
        }
        var account = await accounts.FindByIdAsync(accountId);
        if (account is null || await accounts.HasPasswordAsync(account))
        {
            return null;
        }
        return await accounts.VerifyUserTokenAsync(account, InvitationTokenProvider.ProviderName, InvitationTokenProvider.Purpose, token)
            ? account
            : null;
    }

    /// <summary>The invitation mail, through the configured sender (SMTP, or the mail folder).</summary>
    public async Task SendAsync(Account account, Uri link, string? networkSlug, CancellationToken cancellationToken)
    {
        var validUntil = time.GetUtcNow().Add(options.Value.InvitationLifespan).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);
        var role = networkSlug is null
            ? "Sie haben einen Zugang zur Ems-Achse-Plattform erhalten."
            : $"Sie wurden als Netzwerkmanagerin oder Netzwerkmanager für das Netzwerk „{networkSlug}“ der Ems-Achse eingetragen.";
        var body = $"""
            Guten Tag {account.DisplayName},

            {role}
            Bitte legen Sie Ihr Passwort über diesen Link fest (gültig bis {validUntil} UTC, nur einmal verwendbar):

            {link}

            Danach melden Sie sich mit Ihrer E-Mail-Adresse und diesem Passwort an.
            """;
        await mail.SendAsync(new OutgoingMail(account.DisplayName, account.Email!, "Einladung zur Ems-Achse-Plattform", body, "einladung"), cancellationToken);
    }
}
