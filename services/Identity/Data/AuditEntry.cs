namespace EmsAchse.Identity.Data;

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

    /// <summary>One of the audit trail's kinds (<c>Audit/AuditKinds</c>).</summary>
    public string Kind { get; set; } = "";

    /// <summary>The network slug for rights gained and lost and for manager invitations.</summary>
    public string? Network { get; set; }

    /// <summary>The visitor's address (through the gateway's forwarded headers); null for changes made by events.</summary>
    public string? Address { get; set; }
}
