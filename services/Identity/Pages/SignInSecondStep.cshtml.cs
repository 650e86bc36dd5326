using EmsAchse.Identity.Accounts;
using EmsAchse.Identity.Audit;
using EmsAchse.Identity.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace EmsAchse.Identity.Pages;

/// <summary>The second step after a correct password: the app's code or a recovery code. Failures count towards the lockout.</summary>
[EnableRateLimiting(AccountsSetup.SignInLimit)]
public sealed class SignInSecondStepModel(SignInManager<Account> signIns, UserManager<Account> accounts, AuditTrail audit) : PageModel
{
    public static class Text
    {
        public const string Title = "Anmeldung bestätigen";
        public const string Intro = "Geben Sie den Code aus Ihrer Authenticator-App ein.";
        public const string Code = "Code aus der App";
        public const string Recovery = "Oder: ein Wiederherstellungscode";
        public const string Submit = "Bestätigen";
        public const string Failed = "Der Code ist nicht richtig oder abgelaufen. Nach mehreren Fehlversuchen ist die Anmeldung für einige Minuten gesperrt.";
        public const string Expired = "Bitte melden Sie sich erneut mit E-Mail-Adresse und Passwort an.";
    }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? RecoveryCode { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool Failed { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIns.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("SignIn", new { ReturnUrl }) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var account = await signIns.GetTwoFactorAuthenticationUserAsync();
        if (account is null)
        {
            return RedirectToPage("SignIn", new { ReturnUrl });
        }
        var result = await audit.InTransactionAsync(async () =>
        {
            var wasLockedOut = await accounts.IsLockedOutAsync(account);
            var recovery = RecoveryCode?.Replace(" ", "", StringComparison.Ordinal);
            var code = Code?.Replace(" ", "", StringComparison.Ordinal);
            var outcome = !string.IsNullOrEmpty(recovery)
                ? await signIns.TwoFactorRecoveryCodeSignInAsync(recovery)
                : string.IsNullOrEmpty(code)
                    ? Microsoft.AspNetCore.Identity.SignInResult.Failed
                    : await signIns.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
            if (outcome.Succeeded)
            {
                audit.Add(account, AuditKinds.SignIn);
            }
            else
            {
                audit.Add(account, AuditKinds.SignInFailed);
                if (outcome.IsLockedOut && !wasLockedOut)
                {
                    audit.Add(account, AuditKinds.LockedOut);
                }
            }
            return outcome;
        }, HttpContext.RequestAborted);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "~/");
        }
        Failed = true;
        return Page();
    }
}
