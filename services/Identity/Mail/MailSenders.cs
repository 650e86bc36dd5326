using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Polly;
using Polly.Retry;

namespace EmsAchse.Identity.Mail;

internal static class MailMessages
{
    public static MimeMessage Build(OutgoingMail mail, MailSettings settings, DateTimeOffset now)
    {
        var message = new MimeMessage { Date = now, Subject = mail.Subject };
        message.From.Add(new MailboxAddress(settings.SenderName, settings.Sender));
        message.To.Add(new MailboxAddress(mail.ToName, mail.ToAddress));
        // 8 bit keeps the link on one line in the .eml file; SMTP re-encodes it for a server without 8BITMIME.
        message.Body = new TextPart("plain") { Text = mail.Body, ContentTransferEncoding = ContentEncoding.EightBit };
        return message;
    }
}

/// <summary>Writes each mail as an .eml file into the mail folder (Development, or wherever the setting points).</summary>
public sealed class FolderMailSender(IOptions<IdentityServiceOptions> options, IHostEnvironment environment, TimeProvider time) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var folder = Folder(options.Value, environment);
        Directory.CreateDirectory(folder);
        var now = time.GetUtcNow();
        var message = MailMessages.Build(mail, options.Value.Mail, now);
        var file = Path.Combine(folder, $"{now:yyyyMMdd'T'HHmmssfff}-{mail.Kind}-{Guid.NewGuid():N}.eml");
        await message.WriteToAsync(file, cancellationToken);
    }

    public static string Folder(IdentityServiceOptions options, IHostEnvironment environment) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(options.MailFolder) ? Path.Combine(environment.ContentRootPath, ".data", "mail") : options.MailFolder);
}

/// <summary>MailKit over SMTP, with TLS as configured; a short retry covers a server that is briefly unreachable.</summary>
public sealed partial class SmtpMailSender(IOptions<IdentityServiceOptions> options, TimeProvider time, ILogger<SmtpMailSender> logger) : IMailSender
{
    private static readonly ResiliencePipeline Retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder()
                .Handle<SocketException>()
                .Handle<IOException>()
                .Handle<SmtpProtocolException>()
                .Handle<ServiceNotConnectedException>()
                // 4xx: the server asks to try again later; 5xx is final.
                .Handle<SmtpCommandException>(e => (int)e.StatusCode is >= 400 and < 500),
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(500),
            UseJitter = true,
        })
        .Build();

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var settings = options.Value.Mail;
        var message = MailMessages.Build(mail, settings, time.GetUtcNow());
        await Retry.ExecuteAsync(async token =>
        {
            using var client = new SmtpClient();
            await client.ConnectAsync(settings.Host!, settings.Port, Socket(settings.Security), token);
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", token);
            }
            await client.SendAsync(message, token);
            await client.DisconnectAsync(quit: true, token);
        }, cancellationToken);
        LogSent(mail.Kind, settings.Host!);
    }

    private static SecureSocketOptions Socket(MailSecurity security) => security switch
    {
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.None,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent a mail ({Kind}) through {Host}")]
    private partial void LogSent(string kind, string host);
}

public static class MailSetup
{
    /// <summary>The folder when <c>Identity:MailFolder</c> is set, or in Development without an SMTP host; SMTP otherwise.</summary>
    public static void AddMail(this WebApplicationBuilder builder, IdentityServiceOptions settings)
    {
        if (settings.UsesMailFolder)
        {
            builder.Services.AddSingleton<IMailSender, FolderMailSender>();
        }
        else
        {
            builder.Services.AddSingleton<IMailSender, SmtpMailSender>();
        }
        builder.Services.AddSingleton<MailQueue>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MailQueue>());
    }
}
