using Dapper;
using EmsAchse.Platform.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EmsAchse.Platform.Tests;

public enum FunderCategory
{
    District = 0,
    MembershipFees = 1,
}

[Collection(PlatformCollection.Name)]
public sealed class DapperTypeHandlerTests(PlatformServers servers)
{
    private sealed class TypedRow
    {
        public Guid Id { get; init; }
        public DateOnly? Day { get; init; }
        public DateTimeOffset? At { get; init; }
        public FunderCategory? Kind { get; init; }
        public Guid? MaybeId { get; init; }
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task guid_dateonly_datetimeoffset_and_enums_round_trip(DatabaseEngine engine)
    {
        using var connections = new DbConnectionFactory(await servers.NewDatabaseAsync(engine));
        await new MigrationRunner(connections, NullLogger<MigrationRunner>.Instance)
            .ApplyAsync(MigrationRunner.ForService(typeof(DapperTypeHandlerTests).Assembly, engine));
        var written = new TypedRow
        {
            Id = Guid.NewGuid(),
            Day = new DateOnly(2027, 2, 28),
            // A non-UTC offset comes back as the same instant, in UTC.
            At = new DateTimeOffset(2026, 11, 28, 10, 15, 30, 123, TimeSpan.FromHours(1)),
            Kind = FunderCategory.MembershipFees,
            MaybeId = null,
        };

        await using var connection = await connections.OpenAsync();
        await connection.ExecuteAsync("INSERT INTO typed_values (id, day, at, kind, maybe_id) VALUES (@Id, @Day, @At, @Kind, @MaybeId)", written);
        var read = await connection.QuerySingleAsync<TypedRow>(
            "SELECT id AS Id, day AS Day, at AS At, kind AS Kind, maybe_id AS MaybeId FROM typed_values WHERE id = @id AND day = @day AND kind = @kind",
            new { id = written.Id, day = written.Day, kind = FunderCategory.MembershipFees });
        var storedKind = await connection.ExecuteScalarAsync<long>("SELECT kind FROM typed_values");

        Assert.Equal(written.Id, read.Id);
        Assert.Equal(written.Day, read.Day);
        Assert.Equal(written.At.Value.UtcDateTime, read.At!.Value.UtcDateTime);
        Assert.Equal(TimeSpan.Zero, read.At.Value.Offset);
        Assert.Equal(FunderCategory.MembershipFees, read.Kind);
        Assert.Null(read.MaybeId);
        Assert.Equal(1, storedKind);
    }
}
