using System.Buffers.Text;
using EmsAchse.Identity.Audit;
using EmsAchse.Identity.Data;
using Microsoft.AspNetCore.Identity;

namespace EmsAchse.Identity.Accounts;

/// <summary>
/// Passkeys (WebAuthn) on top of ASP.NET Core Identity's passkey support: Identity makes the options, keeps the
/// ceremony's state in its cookie and verifies the browser's answer; this adds what is ours: a name and a limit per
/// account, the lockout for a passkey sign-in, and the audit trail.
/// </summary>
public sealed partial class Passkeys(SignInManager<Account> signIns, UserManager<Account> accounts, AuditTrail audit, ILogger<Passkeys> log)
{
    /// <summary>Enough for a phone, a laptop and a few security keys; keeps the row count per account bounded.</summary>
    public const int MaxPerAccount = 10;

    public const int MaxNameLength = 100;

    public enum Outcome
    {
        Done,
        Refused,
        LockedOut,
        TooMany,
    }

    public sealed record Listed(string Id, string Name, DateTimeOffset CreatedAt);

    /// <summary>The options for <c>navigator.credentials.create()</c>; Identity keeps the challenge in its cookie.</summary>
    public Task<string> CreationOptionsAsync(Account account) =>
        signIns.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity
        {
            Id = account.Id,
            Name = account.Email ?? account.UserName ?? account.Id,
            DisplayName = string.IsNullOrWhiteSpace(account.DisplayName) ? account.Email ?? account.Id : account.DisplayName,
        });

    /// <summary>Verifies the browser's new credential against the state of <see cref="CreationOptionsAsync"/> and keeps it.</summary>
    public async Task<Outcome> AddAsync(Account account, string? credentialJson, string? name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(credentialJson))
        {
            return Outcome.Refused;
        }
        if ((await accounts.GetPasskeysAsync(account)).Count >= MaxPerAccount)
        {
            return Outcome.TooMany;
        }
        var attestation = await signIns.PerformPasskeyAttestationAsync(credentialJson);
        if (!attestation.Succeeded)
        {
            LogRefused(log, "new passkey", account.Id, attestation.Failure?.Message);
            return Outcome.Refused;
        }
        // The state names the account it was made for; a ceremony begun in another account's session does not count.
        if (attestation.UserEntity.Id != account.Id)
        {
            LogRefused(log, "new passkey", account.Id, "the ceremony was begun for another account");
            return Outcome.Refused;
        }
        var passkey = attestation.Passkey;
        passkey.Name = Named(name);
        return await audit.InTransactionAsync(async () =>
        {
            if (!(await accounts.AddOrUpdatePasskeyAsync(account, passkey)).Succeeded)
            {
                return Outcome.Refused;
            }
            audit.Add(account, AuditKinds.PasskeyAdded);
            return Outcome.Done;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<Listed>> ListAsync(Account account) =>
        [.. (await accounts.GetPasskeysAsync(account))
            .OrderBy(p => p.CreatedAt)
            .Select(p => new Listed(Base64Url.EncodeToString(p.CredentialId), p.Name ?? "", p.CreatedAt))];

    /// <summary>Removes one of the account's own passkeys; an id that is not one of them changes nothing.</summary>
    public async Task<bool> RemoveAsync(Account account, string? id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id) || !Base64Url.IsValid(id))
        {
            return false;
        }
        var credentialId = Base64Url.DecodeFromChars(id);
        if (await accounts.GetPasskeyAsync(account, credentialId) is null)
        {
            return false;
        }
        return await audit.InTransactionAsync(async () =>
        {
            if (!(await accounts.RemovePasskeyAsync(account, credentialId)).Succeeded)
            {
                return false;
            }
            audit.Add(account, AuditKinds.PasskeyRemoved);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// The options for <c>navigator.credentials.get()</c>, for no account in particular: the authenticator offers the
    /// passkeys it holds for this site, so the page never has to say whether an address has an account.
    /// </summary>
    public Task<string> RequestOptionsAsync() => signIns.MakePasskeyRequestOptionsAsync(null);

    /// <summary>
    /// Verifies the assertion and signs the account in. A user-verified passkey is two factors in itself, so no second
    /// step follows; a locked or unconfirmed account stays out as with a password.
    /// </summary>
    public async Task<Outcome> SignInAsync(string? credentialJson, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(credentialJson))
        {
            return Outcome.Refused;
        }
        var assertion = await signIns.PerformPasskeyAssertionAsync(credentialJson);
        if (!assertion.Succeeded)
        {
            LogRefused(log, "passkey sign-in", null, assertion.Failure?.Message);
            return Outcome.Refused;
        }
        var account = assertion.User;
        return await audit.InTransactionAsync(async () =>
        {
            if (await accounts.IsLockedOutAsync(account) || !await signIns.CanSignInAsync(account))
            {
                audit.Add(account, AuditKinds.SignInFailed);
                return Outcome.LockedOut;
            }
            // The new signature counter, so a cloned authenticator shows itself at its next use.
            if (!(await accounts.AddOrUpdatePasskeyAsync(account, assertion.Passkey)).Succeeded)
            {
                return Outcome.Refused;
            }
            await accounts.ResetAccessFailedCountAsync(account);
            await signIns.SignInAsync(account, isPersistent: false, authenticationMethod: "passkey");
            audit.Add(account, AuditKinds.SignIn);
            return Outcome.Done;
        }, cancellationToken);
    }

    // Why a ceremony failed is for the operators' log only; the visitor gets one German answer for every failure.
    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Ceremony} (account {AccountId}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string ceremony, string? accountId, string? reason);

    private static string Named(string? name)
    {
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length == 0)
        {
            return "Passkey";
        }
        return trimmed.Length > MaxNameLength ? trimmed[..MaxNameLength] : trimmed;
    }
}
