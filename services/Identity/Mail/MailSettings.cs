using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace EmsAchse.Identity.Mail;

public enum MailSecurity
{
    /// <summary>Plain SMTP: Development only (a local test server).</summary>
    None,

    /// <summary>Submission port 587: the connection is upgraded with STARTTLS, which must succeed.</summary>
    StartTls,

    /// <summary>Port 465: TLS from the first byte.</summary>
    SslOnConnect,
}

/// <summary>SMTP (section <c>Identity:Mail</c>); used unless mails go into <c>Identity:MailFolder</c>.</summary>
public sealed class MailSettings
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public MailSecurity Security { get; set; } = MailSecurity.StartTls;

    /// <summary>Without a user name the server is used without authentication.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The From address.</summary>
    public string Sender { get; set; } = "no-reply@ems-achse.local";

    public string SenderName { get; set; } = "Ems-Achse";

    internal IEnumerable<ValidationResult> Validate(bool isDevelopment)
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return new ValidationResult("Identity:Mail:Host is required unless Identity:MailFolder is set (mails as .eml files).", ["Mail.Host"]);
        }
        if (Port is < 1 or > 65535)
        {
            yield return new ValidationResult("Identity:Mail:Port must be between 1 and 65535.", ["Mail.Port"]);
        }
        if (!isDevelopment && Security == MailSecurity.None)
        {
            yield return new ValidationResult("Identity:Mail:Security must be StartTls or SslOnConnect outside Development.", ["Mail.Security"]);
        }
        if (!MailboxAddress.TryParse(Sender, out var sender) || !sender.Address.Contains('@', StringComparison.Ordinal))
        {
            yield return new ValidationResult("Identity:Mail:Sender must be an e-mail address.", ["Mail.Sender"]);
        }
        if (!string.IsNullOrEmpty(UserName) && string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("Identity:Mail:Password is required with Identity:Mail:UserName.", ["Mail.Password"]);
        }
    }
}
