using EmsAchse.Identity.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace EmsAchse.Identity.Pages;

/// <summary>Asks for a reset link. The same answer whether or not the address has an account; the mail goes out after it.</summary>
[EnableRateLimiting(AccountsSetup.FormLimit)]
public sealed class PasswordForgottenModel(PasswordResets resets) : PageModel
{
    public static class Text
    {
        public const string Title = "Passwort vergessen";
        public const string Intro = "Geben Sie die E-Mail-Adresse Ihres Zugangs an. Wir schicken Ihnen einen Link, über den Sie ein neues Passwort festlegen.";
        public const string Email = "E-Mail-Adresse";
        public const string Submit = "Link anfordern";
        public const string Sent = "Wenn zu dieser Adresse ein Zugang besteht, haben wir soeben einen Link dorthin geschickt. Er ist zwei Stunden gültig und nur einmal verwendbar.";
        public const string Back = "Zurück zur Anmeldung";
    }

    [BindProperty]
    public string? Email { get; set; }

    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await resets.RequestAsync(Email);
        Sent = true;
        Email = null;
        return Page();
    }
}
