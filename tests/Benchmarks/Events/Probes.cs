using System.Diagnostics;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using MassTransit;

namespace EmsAchse.Events.Benchmarks;

/// <summary>The event under measurement: one meter reading of a run, numbered from 0.</summary>
public sealed record ReadingRecorded(int Run, int Sequence);

/// <summary>
/// The clocks of one run, by sequence: when the write was due, when it committed and when the consumer's effect
/// committed (Stopwatch ticks, one process).
/// </summary>
public sealed class ProbeRun(int id, int events)
{
    private readonly long[] _due = new long[events];
    private readonly long[] _committed = new long[events];
    private readonly long[] _applied = new long[events];
    private int _appliedCount;
    private long _firstApplied;
    private long _lastApplied;

    public int Id { get; } = id;
    public int Events { get; } = events;
    public int AppliedCount => Volatile.Read(ref _appliedCount);
    public long FirstApplied => Volatile.Read(ref _firstApplied);
    public long LastApplied => Volatile.Read(ref _lastApplied);

    public void Due(int sequence, long timestamp) => _due[sequence] = timestamp;

    public void Committed(int sequence, long timestamp) => Volatile.Write(ref _committed[sequence], timestamp);

    /// <summary>Records the first effect of a sequence; a redelivery that reaches here again does not count twice.</summary>
    public void Applied(int sequence, long timestamp)
    {
        if (sequence < 0 || sequence >= Events || Interlocked.CompareExchange(ref _applied[sequence], timestamp, 0) != 0)
        {
            return;
        }
        Interlocked.CompareExchange(ref _firstApplied, timestamp, 0);
        long last;
        do
        {
            last = Volatile.Read(ref _lastApplied);
        }
        while (timestamp > last && Interlocked.CompareExchange(ref _lastApplied, timestamp, last) != last);
        Interlocked.Increment(ref _appliedCount);
    }

    public long DueAt(int sequence) => _due[sequence];

    public long CommittedAt(int sequence) => Volatile.Read(ref _committed[sequence]);

    public long AppliedAt(int sequence) => Volatile.Read(ref _applied[sequence]);

    public async Task WaitForEffectsAsync(TimeSpan patience)
    {
        var until = Stopwatch.GetTimestamp() + (long)(patience.TotalSeconds * Stopwatch.Frequency);
        while (AppliedCount < Events && Stopwatch.GetTimestamp() < until)
        {
            await Task.Delay(5);
        }
        if (AppliedCount < Events)
        {
            throw new TimeoutException($"run {Id}: only {AppliedCount} of {Events} effects committed within {patience.TotalSeconds:F0} s");
        }
    }
}

/// <summary>The run the consumers report to; effects of an earlier run that arrive late are ignored.</summary>
public sealed class ProbeClock
{
    private ProbeRun? _current;

    public ProbeRun Start(int id, int events)
    {
        var run = new ProbeRun(id, events);
        Volatile.Write(ref _current, run);
        return run;
    }

    public void Applied(int run, int sequence, long timestamp)
    {
        if (Volatile.Read(ref _current) is { } current && current.Id == run)
        {
            current.Applied(sequence, timestamp);
        }
    }
}

/// <summary>The consumer under measurement, as a service writes one: its effect row commits with its inbox record.</summary>
public sealed class ReadingLedgerConsumer(Inbox inbox) : IdempotentConsumer<ReadingRecorded>(inbox)
{
    protected override async Task ApplyAsync(ReadingRecorded message, WriteTransaction tx)
    {
        const string sql = """
            INSERT INTO bench_effects (run, sequence, applied_at) VALUES (@run, @sequence, @appliedAt)
            """;
        await tx.ExecuteAsync(sql, new { run = message.Run, sequence = message.Sequence, appliedAt = tx.Now });
    }
}

/// <summary>
/// The consumer registered on the queue: runs <see cref="ReadingLedgerConsumer"/> and takes the clock when it returns,
/// which is right after its transaction committed.
/// </summary>
public sealed class TimedReadingConsumer(ReadingLedgerConsumer ledger, ProbeClock clock) : IConsumer<ReadingRecorded>
{
    public async Task Consume(ConsumeContext<ReadingRecorded> context)
    {
        await ledger.Consume(context);
        clock.Applied(context.Message.Run, context.Message.Sequence, Stopwatch.GetTimestamp());
    }
}
