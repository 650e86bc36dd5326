using EmsAchse.Identity.Accounts;
using EmsAchse.Identity.Audit;
using EmsAchse.Identity.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace EmsAchse.Identity.Pages;

/// <summary>The signed-in person changes their password, proving the current one; Identity counts a wrong one towards the lockout.</summary>
[Authorize(AuthenticationSchemes = "Identity.Application")]
[EnableRateLimiting(AccountsSetup.FormLimit)]
public sealed class PasswordChangeModel(UserManager<Account> accounts, SignInManager<Account> signIns, AuditTrail audit) : PageModel
{
    public static class Text
    {
        public const string Title = "Passwort ändern";
        public const string Current = "Bisheriges Passwort";
        public const string Password = "Neues Passwort";
        public const string Repeat = "Neues Passwort wiederholen";
        public const string Submit = "Passwort ändern";
        public const string WrongCurrent = "Das bisherige Passwort ist nicht richtig.";
        public const string Done = "Ihr Passwort ist geändert.";
        public const string Back = "Zur Übersicht";
    }

    [BindProperty]
    public string? Current { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? Repeat { get; set; }

    public bool Done { get; private set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var account = await accounts.GetUserAsync(User);
        if (account is null)
        {
            return Challenge();
        }
        if (string.IsNullOrEmpty(Password) || Password != Repeat)
        {
            Error = SetUpModel.Text.Mismatch;
            return Page();
        }
        if (string.IsNullOrEmpty(Current) || !await accounts.CheckPasswordAsync(account, Current))
        {
            await accounts.AccessFailedAsync(account);
            Error = Text.WrongCurrent;
            return Page();
        }
        var changed = await audit.InTransactionAsync(async () =>
        {
            var result = await accounts.ChangePasswordAsync(account, Current, Password);
            if (result.Succeeded)
            {
                audit.Add(account, AuditKinds.PasswordSet);
            }
            return result;
        }, HttpContext.RequestAborted);
        if (!changed.Succeeded)
        {
            Error = SetUpModel.Text.Weak;
            return Page();
        }
        // The security stamp changed: renew this session's cookie, other sessions end at their next validation.
        await signIns.RefreshSignInAsync(account);
        Done = true;
        return Page();
    }
}
