namespace EmsAchse.Identity.Mail;

/// <summary>A plain-text mail in German to one person; <see cref="Kind"/> names it in file names and logs (e.g. <c>einladung</c>).</summary>
public sealed record OutgoingMail(string ToName, string ToAddress, string Subject, string Body, string Kind);

/// <summary>Sends identity's mails: over SMTP (<see cref="SmtpMailSender"/>) or into the mail folder as .eml files (<see cref="FolderMailSender"/>).</summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}
