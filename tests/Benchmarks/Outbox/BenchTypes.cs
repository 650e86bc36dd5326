using MassTransit;

namespace EmsAchse.Outbox.Benchmarks;

public sealed record BenchEventHappened(int Aggregate, int Sequence);

public sealed class Counter
{
    private int _count;

    public void Add() => Interlocked.Increment(ref _count);

    public async Task WaitForAsync(int count)
    {
        var until = DateTime.UtcNow.AddMinutes(5);
        while (Volatile.Read(ref _count) < count && DateTime.UtcNow < until)
        {
            await Task.Delay(5);
        }
        if (Volatile.Read(ref _count) < count)
        {
            throw new TimeoutException($"only {_count} of {count} events arrived");
        }
    }
}

public sealed class BenchConsumer(Counter counter) : IConsumer<BenchEventHappened>
{
    public Task Consume(ConsumeContext<BenchEventHappened> context)
    {
        counter.Add();
        return Task.CompletedTask;
    }
}
