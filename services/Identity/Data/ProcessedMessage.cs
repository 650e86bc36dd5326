namespace EmsAchse.Identity.Data;

/// <summary>
/// Identity's inbox: a consumed message's id per consumer (its queue), written in the same transaction as the message's
/// effect, so a redelivered message finds its row and has no second effect.
/// </summary>
public sealed class ProcessedMessage
{
    public Guid MessageId { get; set; }

    /// <summary>The queue name, chosen at registration: a renamed consumer class keeps its inbox.</summary>
    public string Consumer { get; set; } = "";

    /// <summary>UTC; rows older than <c>Identity:InboxRetention</c> are removed at start.</summary>
    public DateTime ReceivedAt { get; set; }
}
