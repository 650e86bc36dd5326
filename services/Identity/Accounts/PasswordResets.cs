using EmsAchse.Identity.Data;
using EmsAchse.Identity.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EmsAchse.Identity.Accounts;

/// <summary>
/// "Passwort vergessen": a one-time link by mail, made by Identity's data-protected token provider and bound to the
/// security stamp, which the new password changes (a used link is refused like an expired one).
/// </summary>
public sealed class PasswordResets(UserManager<Account> accounts, IOptions<IdentityServiceOptions> options, MailQueue mails, TimeProvider time)
{
    /// <summary>Queues the link for an account that has a password; for any other address nothing happens, and the caller cannot tell.</summary>
    public async Task RequestAsync(string? email)
    {
        var address = email?.Trim();
        var account = string.IsNullOrEmpty(address) || address.Length > 256 ? null : await accounts.FindByEmailAsync(address);
        if (account is null || !await accounts.HasPasswordAsync(account))
        {
            return;
        }
        var token = await accounts.GeneratePasswordResetTokenAsync(account);
        var link = new Uri(options.Value.Issuer!, $"passwort-neu?token={AccountLinks.Encode(account.Id, token)}");
        var validUntil = time.GetUtcNow().Add(options.Value.PasswordResetLifespan).ToString("dd.MM.yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var body = $"""
            Guten Tag {account.DisplayName},

            für Ihren Zugang zur Ems-Achse-Plattform wurde ein neues Passwort angefordert.
            Über diesen Link legen Sie es fest (gültig bis {validUntil} UTC, nur einmal verwendbar):

            {link}

            Wenn Sie das nicht angefordert haben, können Sie diese Nachricht ignorieren; Ihr Passwort bleibt unverändert.
            """;
        mails.TryEnqueue(new OutgoingMail(account.DisplayName, account.Email!, "Neues Passwort für die Ems-Achse-Plattform", body, "passwort"));
    }

    /// <summary>The account and token of a valid link, or null for a link that is malformed, expired or used.</summary>
    public async Task<(Account Account, string Token)?> RedeemableAsync(string? link)
    {
        if (!AccountLinks.TryDecode(link, out var accountId, out var token))
        {
            return null;
        }
        var account = await accounts.FindByIdAsync(accountId);
        if (account is null)
        {
            return null;
        }
        var valid = await accounts.VerifyUserTokenAsync(account, accounts.Options.Tokens.PasswordResetTokenProvider, UserManager<Account>.ResetPasswordTokenPurpose, token);
        return valid ? (account, token) : null;
    }
}
