using EmsAchse.Identity.Accounts;
using EmsAchse.Identity.Audit;
using EmsAchse.Identity.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace EmsAchse.Identity.Pages;

/// <summary>The reset link's page: a new password once. An expired, used or malformed link gets one answer (400).</summary>
[EnableRateLimiting(AccountsSetup.FormLimit)]
public sealed class PasswordResetModel(PasswordResets resets, UserManager<Account> accounts, AuditTrail audit) : PageModel
{
    public static class Text
    {
        public const string Title = "Neues Passwort festlegen";
        public const string Password = "Neues Passwort";
        public const string Repeat = "Passwort wiederholen";
        public const string Submit = "Passwort speichern";
        public const string Refused = "Dieser Link ist abgelaufen oder wurde bereits verwendet. Fordern Sie bitte einen neuen an.";
        public const string Again = "Neuen Link anfordern";
        public const string Done = "Ihr neues Passwort ist gespeichert.";
        public const string SignIn = "Jetzt anmelden";
    }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? Repeat { get; set; }

    public bool Refused { get; private set; }

    public bool Done { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await resets.RedeemableAsync(Token) is null ? Refuse() : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await resets.RedeemableAsync(Token) is not { } redeemable)
        {
            return Refuse();
        }
        var (account, token) = redeemable;
        if (string.IsNullOrEmpty(Password) || Password != Repeat)
        {
            Error = SetUpModel.Text.Mismatch;
            return Page();
        }
        var reset = await audit.InTransactionAsync(async () =>
        {
            // Changes the security stamp: this link, older links and other sessions' cookies stop working.
            var result = await accounts.ResetPasswordAsync(account, token, Password);
            if (result.Succeeded)
            {
                // The link reached the mailbox: the address is confirmed.
                account.EmailConfirmed = true;
                await accounts.UpdateAsync(account);
                await accounts.ResetAccessFailedCountAsync(account);
                audit.Add(account, AuditKinds.PasswordReset);
            }
            return result;
        }, HttpContext.RequestAborted);
        if (!reset.Succeeded)
        {
            Error = SetUpModel.Text.Weak;
            return Page();
        }
        Done = true;
        return Page();
    }

    private PageResult Refuse()
    {
        Refused = true;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
