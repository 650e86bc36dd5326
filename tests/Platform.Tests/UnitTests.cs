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

public sealed class FieldErrorCodesTests
{
    [Theory]
    [InlineData("name", "name is required (at most 120 characters).", "required")]
    [InlineData("validFrom", "validFrom is required.", "required")]
    [InlineData("address", "address may have at most 300 characters.", "too-long")]
    [InlineData("name", "name must be at most 200 characters.", "too-long")]
    [InlineData("organization.district", "district must be one of: emsland, leer.", "unknown-district")]
    [InlineData("organization.industries", "'x' is not an industry; industries must be from: it.", "unknown-industry")]
    [InlineData("districts", "districts must list at least one of: emsland.", "unknown-district")]
    [InlineData("includeUnlisted", "includeUnlisted must be true or false.", "unknown-include-unlisted")]
    [InlineData("contact.email", "email must be an e-mail address such as name@example.de.", "invalid-email")]
    [InlineData("website", "website must be an absolute http or https URL, e.g. https://www.example.de.", "invalid-url")]
    [InlineData("phone", "phone must be a telephone number of 5-30 characters (digits, spaces, + ( ) / -).", "invalid-phone")]
    [InlineData("pageSize", "pageSize must be between 1 and 200.", "out-of-range")]
    [InlineData("page", "page must be 1 or more.", "out-of-range")]
    [InlineData("employees", "employees cannot be negative.", "out-of-range")]
    [InlineData("closed", "closed cannot be in the future (today is 2026-12-01).", "out-of-range")]
    [InlineData("funderId", "The funder of a commitment cannot change; end it and commit anew.", "immutable")]
    [InlineData("slug", "slug 'umbrella' is reserved.", "reserved")]
    [InlineData("slug", "slug must be 2-40 lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen.", "invalid")]
    public void a_field_error_gets_its_stable_code_from_the_shared_wording(string field, string message, string code) =>
        Assert.Equal(code, EmsAchse.Platform.Hosting.FieldErrorCodes.FromWording(field, message));
}
