using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Claims;
using System.Text;
using EmsAchse.Platform.Hosting;
using Microsoft.AspNetCore.Http;

namespace EmsAchse.Platform.Changes;

/// <summary>Who made a change: the caller's token (sub, name), "anonymous", or "system" with the consumer's queue.</summary>
public sealed record ChangeActor(string Id, string? Name)
{
    public const string AnonymousId = "anonymous";
    public const string SystemId = "system";

    public static ChangeActor Consumer(string queue) => new(SystemId, queue);
}

/// <summary>
/// The actor of the write that is running now: a consumer that declared itself (<see cref="ActAs"/>), else the caller
/// of the current HTTP request; none for start-up work (seeding, re-sync requests), which records nothing.
/// </summary>
public sealed class ChangeActors(IHttpContextAccessor http)
{
    private static readonly AsyncLocal<ChangeActor?> Declared = new();

    public ChangeActor? Current => Declared.Value ?? FromRequest(http.HttpContext);

    /// <summary>Makes <paramref name="actor"/> the author of the writes in this async flow until disposed.</summary>
    public static IDisposable ActAs(ChangeActor actor)
    {
        var previous = Declared.Value;
        Declared.Value = actor;
        return new Restore(previous);
    }

    private static ChangeActor? FromRequest(HttpContext? context)
    {
        if (context is null)
        {
            return null;
        }
        var user = context.User;
        var sub = user.FindFirstValue("sub") ?? user.FindFirstValue(ClaimTypes.NameIdentifier);
        return user.Identity?.IsAuthenticated == true && !string.IsNullOrWhiteSpace(sub)
            ? new ChangeActor(sub, user.FindFirstValue(PlatformClaims.Name))
            : new ChangeActor(ChangeActor.AnonymousId, null);
    }

    private sealed class Restore(ChangeActor? previous) : IDisposable
    {
        public void Dispose() => Declared.Value = previous;
    }
}

/// <summary>One change record as the admin API shows it.</summary>
public sealed record ChangeRecord(long Id, DateTimeOffset At, string ActorId, string? ActorName, string Action, string AggregateType, string AggregateId, string? Network);

/// <summary>What an integration event says about the change that published it: its action, aggregate and network.</summary>
public static class ChangeDescription
{
    private static readonly ConcurrentDictionary<Type, Func<object, string?>> NetworkOf = new();

    /// <summary>"SiteClosed" is "site.closed", "FundingCommitmentEnded" "funding-commitment.ended": the noun, then the verb.</summary>
    public static string ActionOf(Type eventType)
    {
        var words = Words(eventType.Name);
        return words.Count < 2
            ? words[0]
            : $"{string.Join('-', words.Take(words.Count - 1))}.{words[^1]}";
    }

    /// <summary>"site/3f…" is ("site", "3f…"); an id without a type gets the event's noun.</summary>
    public static (string Type, string Id) AggregateOf(string aggregateId, Type eventType)
    {
        var slash = aggregateId.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
            ? (aggregateId[..slash], aggregateId[(slash + 1)..])
            : (ActionOf(eventType).Split('.')[0], aggregateId);
    }

    /// <summary>The network slug an event names (NetworkSlug or Network), or a network aggregate's own slug.</summary>
    public static string? NetworkOfEvent(object message, string aggregateType, string aggregateId) =>
        aggregateType == "network" ? aggregateId : NetworkOf.GetOrAdd(message.GetType(), Reader)(message);

    private static Func<object, string?> Reader(Type type)
    {
        var property = type.GetProperty("NetworkSlug", BindingFlags.Public | BindingFlags.Instance)
            ?? type.GetProperty("Network", BindingFlags.Public | BindingFlags.Instance);
        return property?.PropertyType == typeof(string) ? m => property.GetValue(m) as string : _ => null;
    }

    private static List<string> Words(string name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
            current.Append(char.ToLowerInvariant(c));
        }
        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }
        return words;
    }
}
