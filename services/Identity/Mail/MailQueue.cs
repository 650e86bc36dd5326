using System.Threading.Channels;

namespace EmsAchse.Identity.Mail;

/// <summary>
/// Mails sent after the answer: a password-reset request answers at once whether or not a mail goes out, so neither
/// the answer nor its timing tells whether the address has an account. A mail lost in a crash is asked for again.
/// </summary>
public sealed partial class MailQueue(IMailSender sender, ILogger<MailQueue> logger) : BackgroundService
{
    private readonly Channel<OutgoingMail> _mails = Channel.CreateBounded<OutgoingMail>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public bool TryEnqueue(OutgoingMail mail) => _mails.Writer.TryWrite(mail);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var mail in _mails.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await sender.SendAsync(mail, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One undeliverable mail must not stop the others.
                LogFailed(e, mail.Kind);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A mail ({Kind}) could not be sent")]
    private partial void LogFailed(Exception exception, string kind);
}
