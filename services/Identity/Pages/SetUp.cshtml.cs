using EmsAchse.Identity.Accounts;
using EmsAchse.Identity.Audit;
using EmsAchse.Identity.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace EmsAchse.Identity.Pages;

/// <summary>
/// The invitation's set-up link: the person sets a password once. An expired, used or malformed link is refused
/// with one answer (400), which tells nothing about the account.
/// </summary>
[EnableRateLimiting(AccountsSetup.SignInLimit)]
public sealed class SetUpModel(Invitations invitations, UserManager<Account> accounts, AuditTrail audit) : PageModel
{
    public static class Text
    {
        public const string Title = "Zugang einrichten";
        public const string Intro = "Legen Sie das Passwort für Ihren Zugang zur Ems-Achse-Plattform fest.";
        public const string Password = "Neues Passwort";
        public const string Repeat = "Passwort wiederholen";
        public const string Rules = "Mindestens 12 Zeichen, mit Groß- und Kleinbuchstaben, einer Ziffer und einem Sonderzeichen.";
        public const string Submit = "Passwort festlegen";
        public const string Mismatch = "Die beiden Passwörter stimmen nicht überein.";
        public const string Weak = "Das Passwort erfüllt die Anforderungen nicht.";
        public const string Refused = "Dieser Link ist abgelaufen oder wurde bereits verwendet. Bitte wenden Sie sich an die Geschäftsstelle der Ems-Achse.";
        public const string Done = "Ihr Passwort ist festgelegt.";
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
        await invitations.RedeemableAsync(Token) is null ? Refuse() : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var account = await invitations.RedeemableAsync(Token);
        if (account is null)
        {
            return Refuse();
        }
        if (string.IsNullOrEmpty(Password) || Password != Repeat)
        {
            Error = Text.Mismatch;
            return Page();
        }
        // Changes the security stamp, which the link's token is bound to: the link works once. The mail reached its
        // owner, so the address is confirmed with it.
        var added = await audit.InTransactionAsync(async () =>
        {
            var result = await accounts.AddPasswordAsync(account, Password);
            if (result.Succeeded)
            {
                account.EmailConfirmed = true;
                await accounts.UpdateAsync(account);
                audit.Add(account, AuditKinds.PasswordSet);
            }
            return result;
        }, HttpContext.RequestAborted);
        if (!added.Succeeded)
        {
            Error = Text.Weak;
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
