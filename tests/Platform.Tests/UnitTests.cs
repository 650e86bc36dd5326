using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using Xunit;

namespace EmsAchse.Platform.Tests;

public sealed class UnitTests
{
    [Theory]
    [InlineData("Data Source=/tmp/x.db", DatabaseEngine.Sqlite)]
    [InlineData("Filename=x.db", DatabaseEngine.Sqlite)]
    [InlineData("Host=127.0.0.1;Port=5432;Database=x;Username=u;Password=p", DatabaseEngine.Postgres)]
    [InlineData("Server=db;Database=x", DatabaseEngine.Postgres)]
    public void the_engine_follows_from_the_connection_string(string connectionString, DatabaseEngine engine) =>
        Assert.Equal(engine, DbConnectionFactory.DetectEngine(connectionString));

    [Theory]
    [InlineData("abc-123", true)]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("line\nbreak", false)]
    public void only_plain_short_correlation_ids_are_taken_from_callers(string candidate, bool acceptable) =>
        Assert.Equal(acceptable, CorrelationContext.IsAcceptable(candidate));

    [Fact]
    public void overly_long_correlation_ids_are_replaced() =>
        Assert.False(CorrelationContext.IsAcceptable(new string('a', 65)));

    [Fact]
    public void message_type_names_resolve_back_to_the_type() =>
        Assert.Equal(typeof(ProbeHappened), MessageTypeName.Resolve(MessageTypeName.Of(typeof(ProbeHappened))));

    [Fact]
    public async Task the_outbox_signal_wakes_a_waiting_dispatcher_before_the_poll_interval()
    {
        var signal = new OutboxSignal();
        var waiting = signal.WaitAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        signal.Notify();
        // Only the notification can end the wait within ten seconds: the poll interval is five minutes.
        var first = await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(waiting, first);
    }
}
