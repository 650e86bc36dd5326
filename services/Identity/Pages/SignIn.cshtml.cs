using EmsAchse.Identity.Accounts;
using EmsAchse.Identity.Audit;
using EmsAchse.Identity.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace EmsAchse.Identity.Pages;

/// <summary>
/// E-mail and password. One answer for an unknown address, a wrong password and a locked account, so the page
/// never tells whether an address has an account; Identity counts the failures and locks the account.
/// </summary>
[EnableRateLimiting(AccountsSetup.SignInLimit)]
public sealed class SignInModel(SignInManager<Account> signIns, UserManager<Account> accounts, AuditTrail audit, Passkeys passkeys) : PageModel
{
    public static class Text
    {
        public const string Title = "Anmelden";
        public const string Email = "E-Mail-Adresse";
        public const string Password = "Passwort";
        public const string Submit = "Anmelden";
        public const string Forgotten = "Passwort vergessen?";
        public const string Failed = "Die Anmeldung ist nicht gelungen. Bitte prüfen Sie E-Mail-Adresse und Passwort. "
            + "Nach mehreren Fehlversuchen ist die Anmeldung für einige Minuten gesperrt.";
        public const string PasskeyTitle = "Oder ohne Passwort";
        public const string PasskeySubmit = "Mit Passkey anmelden";
        public const string PasskeyFailed = "Die Anmeldung mit dem Passkey ist nicht gelungen. Bitte versuchen Sie es erneut oder melden Sie sich mit dem Passwort an.";
        public const string PasskeyBrowserFailed = "Der Browser hat keinen Passkey geliefert (abgebrochen oder keiner für diese Seite vorhanden).";
        public const string PasskeyUnsupported = "Dieser Browser unterstützt keine Passkeys. Bitte melden Sie sich mit dem Passwort an.";
    }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? CredentialJson { get; set; }

    public bool Failed { get; private set; }

    public bool PasskeyFailed { get; private set; }

    public void OnGet()
    {
    }

    /// <summary>Fetched by the script before <c>navigator.credentials.get()</c>.</summary>
    public async Task<IActionResult> OnPostPasskeyOptionsAsync() => Content(await passkeys.RequestOptionsAsync(), "application/json");

    /// <summary>
    /// The browser's answer to the passkey request. One answer for every failure (unknown passkey, bad signature,
    /// locked account), as with the password.
    /// </summary>
    public async Task<IActionResult> OnPostPasskeyAsync()
    {
        var outcome = await passkeys.SignInAsync(CredentialJson, HttpContext.RequestAborted);
        if (outcome == Passkeys.Outcome.Done)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "~/");
        }
        PasskeyFailed = true;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var account = string.IsNullOrWhiteSpace(Email) ? null : await accounts.FindByEmailAsync(Email.Trim());
        if (account is null)
        {
            // As long as checking a real password takes, so the answer's timing tells nothing either.
            accounts.PasswordHasher.HashPassword(new Account(), Password ?? "");
        }
        else
        {
            // The failure count, the lockout and their audit entries commit together.
            var result = await audit.InTransactionAsync(async () =>
            {
                var wasLockedOut = await accounts.IsLockedOutAsync(account);
                var outcome = string.IsNullOrEmpty(Password)
                    ? Microsoft.AspNetCore.Identity.SignInResult.Failed
                    : await signIns.PasswordSignInAsync(account, Password, isPersistent: false, lockoutOnFailure: true);
                if (outcome.Succeeded)
                {
                    audit.Add(account, AuditKinds.SignIn);
                }
                else if (!outcome.RequiresTwoFactor)
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
            if (result.RequiresTwoFactor)
            {
                return RedirectToPage("SignInSecondStep", new { ReturnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null });
            }
        }
        Failed = true;
        Password = null;
        return Page();
    }
}
