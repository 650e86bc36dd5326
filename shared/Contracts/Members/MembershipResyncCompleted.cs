namespace EmsAchse.Contracts.Members;

/// <summary>
/// The members service has published, page by page, every change the re-sync of <paramref name="RequestedBy"/> asked
/// for. Published after the last page's events: the asker holds everything up to <paramref name="Watermark"/> once it
/// has applied what came before this, and asks for what is newer next time.
/// </summary>
public sealed record MembershipResyncCompleted(string RequestedBy, long Watermark, DateTimeOffset CompletedAt);
