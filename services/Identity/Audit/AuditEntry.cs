namespace EmsAchse.Identity.Audit;

/// <summary>One event in an account's history: who (the account and its e-mail then), what, when, from where.</summary>
public sealed class AuditEntry
{
    /// <summary>Ascending with insertion: the tie-breaker for entries of the same instant.</summary>
    public long Id { get; set; }

    /// <summary>UTC.</summary>
    public DateTime At { get; set; }

    public string AccountId { get; set; } = "";

    /// <summary>The account's e-mail at that moment (it may change later).</summary>
    public string Email { get; set; } = "";

    /// <summary>One of <see cref="AuditKinds.All"/>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>The network slug for rights gained and lost and for manager invitations.</summary>
    public string? Network { get; set; }

    /// <summary>The visitor's address (through the gateway's forwarded headers); null for changes made by events.</summary>
    public string? Address { get; set; }
}

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
    public const string RightGained = "right-gained";
    public const string RightLost = "right-lost";
    public const string Invited = "invited";

    public static readonly IReadOnlyList<string> All =
        [SignIn, SignInFailed, LockedOut, SignedOut, PasswordSet, PasswordReset, TwoFactorEnabled, TwoFactorDisabled, RightGained, RightLost, Invited];
}
