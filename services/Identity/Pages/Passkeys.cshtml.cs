using EmsAchse.Identity.Accounts;
using EmsAchse.Identity.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace EmsAchse.Identity.Pages;

/// <summary>
/// The signed-in person's passkeys: list, add (the browser's WebAuthn ceremony, driven by wwwroot/js/passkeys.js,
/// posts its result as a plain form field), remove.
/// </summary>
[Authorize(AuthenticationSchemes = "Identity.Application")]
[EnableRateLimiting(AccountsSetup.FormLimit)]
public sealed class PasskeysModel(UserManager<Account> accounts, Passkeys passkeys) : PageModel
{
    public static class Text
    {
        public const string Title = "Passkeys";
        public const string Intro = "Mit einem Passkey melden Sie sich ohne Passwort an: Ihr Gerät (Smartphone, Laptop oder Sicherheitsschlüssel) bestätigt Sie per Fingerabdruck, Gesichtserkennung oder PIN. Der Passkey gilt nur für diese Seite und kann nicht abgefischt werden.";
        public const string None = "Für Ihren Zugang ist noch kein Passkey eingerichtet.";
        public const string Created = "eingerichtet am";
        public const string Remove = "Entfernen";
        public const string Name = "Bezeichnung des neuen Passkeys (z. B. „Laptop Büro“)";
        public const string Add = "Passkey hinzufügen";
        public const string Added = "Der Passkey ist eingerichtet. Sie können sich ab jetzt damit anmelden.";
        public const string Removed = "Der Passkey ist entfernt.";
        public const string Refused = "Der Passkey konnte nicht eingerichtet werden. Bitte versuchen Sie es erneut.";
        public const string TooMany = "Sie haben bereits die höchste Zahl an Passkeys eingerichtet. Entfernen Sie zuerst einen.";
        public const string NotFound = "Diesen Passkey gibt es für Ihren Zugang nicht.";
        public const string BrowserFailed = "Der Browser hat keinen Passkey erstellt (abgebrochen oder nicht erlaubt). Bitte versuchen Sie es erneut.";
        public const string Unsupported = "Dieser Browser unterstützt keine Passkeys.";
        public const string NoScript = "Zum Einrichten eines Passkeys braucht Ihr Browser JavaScript.";
    }

    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>The day as the alliance's office reads it: <c>31.12.2026</c>, Berlin time.</summary>
    public static string Day(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, Berlin).ToString("dd.MM.yyyy", System.Globalization.CultureInfo.GetCultureInfo("de-DE"));

    public IReadOnlyList<Passkeys.Listed> List { get; private set; } = [];

    public string? Status { get; private set; }

    public string? Error { get; private set; }

    [BindProperty]
    public string? CredentialJson { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Id { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var account = await accounts.GetUserAsync(User);
        if (account is null)
        {
            return Challenge();
        }
        List = await passkeys.ListAsync(account);
        return Page();
    }

    /// <summary>Fetched by the script before <c>navigator.credentials.create()</c>; anti-forgery applies as to every post.</summary>
    public async Task<IActionResult> OnPostCreationOptionsAsync()
    {
        var account = await accounts.GetUserAsync(User);
        if (account is null)
        {
            return Challenge();
        }
        return Content(await passkeys.CreationOptionsAsync(account), "application/json");
    }

    public async Task<IActionResult> OnPostAddAsync()
    {
        var account = await accounts.GetUserAsync(User);
        if (account is null)
        {
            return Challenge();
        }
        var outcome = await passkeys.AddAsync(account, CredentialJson, Name, HttpContext.RequestAborted);
        if (outcome == Passkeys.Outcome.Done)
        {
            Status = Text.Added;
        }
        else
        {
            Error = outcome == Passkeys.Outcome.TooMany ? Text.TooMany : Text.Refused;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        List = await passkeys.ListAsync(account);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync()
    {
        var account = await accounts.GetUserAsync(User);
        if (account is null)
        {
            return Challenge();
        }
        if (await passkeys.RemoveAsync(account, Id, HttpContext.RequestAborted))
        {
            Status = Text.Removed;
        }
        else
        {
            Error = Text.NotFound;
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        List = await passkeys.ListAsync(account);
        return Page();
    }
}
