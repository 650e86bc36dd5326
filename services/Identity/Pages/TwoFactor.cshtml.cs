using System.Globalization;
using System.Text;
using EmsAchse.Identity.Accounts;
using EmsAchse.Identity.Audit;
using EmsAchse.Identity.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using QRCoder;

namespace EmsAchse.Identity.Pages;

/// <summary>
/// Two-factor sign-in with an authenticator app (ASP.NET Core Identity's TOTP provider): enable by confirming a code,
/// recovery codes shown once, disable with the password.
/// </summary>
[Authorize(AuthenticationSchemes = "Identity.Application")]
[EnableRateLimiting(AccountsSetup.FormLimit)]
public sealed class TwoFactorModel(UserManager<Account> accounts, SignInManager<Account> signIns, AuditTrail audit) : PageModel
{
    public const string Issuer = "Ems-Achse";

    public static class Text
    {
        public const string Title = "Zwei-Faktor-Anmeldung";
        public const string Off = "Die Zwei-Faktor-Anmeldung ist für Ihren Zugang ausgeschaltet. Richten Sie eine Authenticator-App ein (z. B. auf Ihrem Smartphone), damit zur Anmeldung neben dem Passwort ein Code aus der App nötig ist.";
        public const string Step1 = "1. Scannen Sie den QR-Code mit der App oder geben Sie den Schlüssel von Hand ein:";
        public const string Key = "Schlüssel";
        public const string Uri = "Einrichtungs-Link (otpauth)";
        public const string Step2 = "2. Geben Sie den sechsstelligen Code ein, den die App jetzt zeigt:";
        public const string Code = "Code aus der App";
        public const string Enable = "Zwei-Faktor-Anmeldung einschalten";
        public const string WrongCode = "Der Code ist nicht richtig. Bitte geben Sie den aktuellen Code aus der App ein.";
        public const string On = "Die Zwei-Faktor-Anmeldung ist eingeschaltet.";
        public const string RecoveryIntro = "Ihre Wiederherstellungscodes. Bewahren Sie sie sicher auf: Jeder Code ersetzt einmal den Code aus der App, falls Sie sie nicht zur Hand haben. Sie werden nur jetzt angezeigt.";
        public const string NewRecovery = "Neue Wiederherstellungscodes erzeugen";
        public const string Password = "Passwort";
        public const string Disable = "Zwei-Faktor-Anmeldung ausschalten";
        public const string WrongPassword = "Das Passwort ist nicht richtig.";
        public const string Disabled = "Die Zwei-Faktor-Anmeldung ist ausgeschaltet.";
        public const string QrLabel = "QR-Code zum Einrichten der Authenticator-App";
    }

    public bool Enabled { get; private set; }

    public string? SharedKey { get; private set; }

    public string? AuthenticatorUri { get; private set; }

    public string? QrSvg { get; private set; }

    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];

    public string? Error { get; private set; }

    public string? Status { get; private set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var account = await accounts.GetUserAsync(User);
        if (account is null)
        {
            return Challenge();
        }
        await LoadAsync(account);
        return Page();
    }

    public async Task<IActionResult> OnPostEnableAsync()
    {
        var account = await accounts.GetUserAsync(User);
        if (account is null)
        {
            return Challenge();
        }
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (await accounts.GetTwoFactorEnabledAsync(account)
            || !await accounts.VerifyTwoFactorTokenAsync(account, accounts.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            Error = Text.WrongCode;
            await LoadAsync(account);
            return Page();
        }
        var codes = await audit.InTransactionAsync(async () =>
        {
            Check(await accounts.SetTwoFactorEnabledAsync(account, true));
            audit.Add(account, AuditKinds.TwoFactorEnabled);
            return await accounts.GenerateNewTwoFactorRecoveryCodesAsync(account, 10);
        }, HttpContext.RequestAborted);
        await signIns.RefreshSignInAsync(account);
        RecoveryCodes = [.. codes ?? []];
        Status = Text.On;
        await LoadAsync(account);
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        var account = await accounts.GetUserAsync(User);
        if (account is null)
        {
            return Challenge();
        }
        if (await accounts.GetTwoFactorEnabledAsync(account))
        {
            RecoveryCodes = [.. await accounts.GenerateNewTwoFactorRecoveryCodesAsync(account, 10) ?? []];
        }
        await LoadAsync(account);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        var account = await accounts.GetUserAsync(User);
        if (account is null)
        {
            return Challenge();
        }
        if (string.IsNullOrEmpty(Password) || !await accounts.CheckPasswordAsync(account, Password))
        {
            await accounts.AccessFailedAsync(account);
            Error = Text.WrongPassword;
            await LoadAsync(account);
            return Page();
        }
        if (await accounts.GetTwoFactorEnabledAsync(account))
        {
            await audit.InTransactionAsync(async () =>
            {
                Check(await accounts.SetTwoFactorEnabledAsync(account, false));
                // A new key: an app set up before cannot be switched back on unnoticed.
                Check(await accounts.ResetAuthenticatorKeyAsync(account));
                audit.Add(account, AuditKinds.TwoFactorDisabled);
                return true;
            }, HttpContext.RequestAborted);
            await signIns.RefreshSignInAsync(account);
        }
        Status = Text.Disabled;
        await LoadAsync(account);
        return Page();
    }

    private async Task LoadAsync(Account account)
    {
        Enabled = await accounts.GetTwoFactorEnabledAsync(account);
        if (Enabled)
        {
            return;
        }
        var key = await accounts.GetAuthenticatorKeyAsync(account);
        if (string.IsNullOrEmpty(key))
        {
            Check(await accounts.ResetAuthenticatorKeyAsync(account));
            key = await accounts.GetAuthenticatorKeyAsync(account);
        }
        SharedKey = Grouped(key!);
        AuthenticatorUri = string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{System.Uri.EscapeDataString(Issuer)}:{System.Uri.EscapeDataString(account.Email!)}?secret={key}&issuer={System.Uri.EscapeDataString(Issuer)}&digits=6");
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(AuthenticatorUri, QRCodeGenerator.ECCLevel.M);
        QrSvg = new SvgQRCode(data).GetGraphic(4);
    }

    private static string Grouped(string key)
    {
        var grouped = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            grouped.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }
        return grouped.ToString().TrimEnd().ToLowerInvariant();
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
