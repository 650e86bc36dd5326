using System.Globalization;

namespace EmsAchse.Portal.Services.Console;

public sealed record MessagingQueue(string Queue, string Kind, long Messages)
{
    public bool IsError => Kind == "error";
}

public sealed record OutboxBacklog(long Unsent, DateTimeOffset? OldestUnsent, long Failing, string? LastError);

public sealed record RedriveResult(string Queue, int Redriven);

/// <summary>A service whose messaging an admin looks after, with the API prefix it serves it under.</summary>
public sealed record MessagingService(string Code, string Name, string Prefix, bool HasOutbox = true);

/// <summary>The services' messaging admin (outbox backlog, queues, re-drive of failed messages), with the user's token.</summary>
public sealed class MessagingClient(HttpClient http)
{
    public static readonly IReadOnlyList<MessagingService> Services =
    [
        new("networks", "Netzwerke", "api/networks/admin/messaging"),
        new("members", "Mitglieder", "api/members/admin/messaging"),
        new("funding", "Finanzierung", "api/funding/admin/messaging"),
        // Identity publishes only its re-sync request, straight to the bus: it has no outbox.
        new("identity", "Anmeldung", "identity/api/admin/messaging", HasOutbox: false),
    ];

    public static MessagingService? Find(string? code) => Services.FirstOrDefault(s => s.Code == code);

    public Task<ApiResult<List<MessagingQueue>>> QueuesAsync(MessagingService service, CancellationToken ct) =>
        AdminCalls.GetAsync<List<MessagingQueue>>(http, $"{service.Prefix}/queues", ct);

    public Task<ApiResult<OutboxBacklog>> OutboxAsync(MessagingService service, CancellationToken ct) =>
        AdminCalls.GetAsync<OutboxBacklog>(http, $"{service.Prefix}/outbox", ct);

    public Task<ApiResult<RedriveResult>> RedriveAsync(MessagingService service, string queue, int max, CancellationToken ct) =>
        AdminCalls.SendAsync<RedriveResult>(http, HttpMethod.Post, $"{service.Prefix}/queues/{Uri.EscapeDataString(queue)}/redrive?max={max.ToString(CultureInfo.InvariantCulture)}", null, ct);
}
