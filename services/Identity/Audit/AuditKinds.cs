using EmsAchse.Identity.Data;

namespace EmsAchse.Identity.Audit;

/// <summary>What an <see cref="AuditEntry"/> records.</summary>
public static class AuditKinds
{
    public const string SignIn = "sign-in";
    public const string SignInFailed = "sign-in-failed";
    public const string LockedOut = "locked-out";
    public const string SignedOut = "signed-out";
    public const string PasswordSet = "password-set";
    public const string PasswordReset = "password-reset";
    public const string TwoFactorEnabled = "two-factor-enabled";
    public const string TwoFactorDisabled = "two-factor-disabled";
    public const string PasskeyAdded = "passkey-added";
    public const string PasskeyRemoved = "passkey-removed";
    public const string RightGained = "right-gained";
    public const string RightLost = "right-lost";
    public const string Invited = "invited";

    public static readonly IReadOnlyList<string> All =
        [SignIn, SignInFailed, LockedOut, SignedOut, PasswordSet, PasswordReset, TwoFactorEnabled, TwoFactorDisabled, PasskeyAdded, PasskeyRemoved, RightGained, RightLost, Invited];
}
