using EmsAchse.ReadModels;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using EmsAchse.Funding.ReadModels;
using EmsAchse.Platform.Persistence;
using EmsAchse.TestSupport;
using EmsAchse.TestSupport.Containers;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EmsAchse.Funding.Tests;

/// <summary>The real broker and PostgreSQL server, shared by the collection; a fresh service and database per test.</summary>
public sealed class FundingServers : IAsyncLifetime
{
    public RabbitMqServer RabbitMq { get; } = new();
    public PostgresServer Postgres { get; } = new();

    public Task InitializeAsync() => Task.WhenAll(RabbitMq.InitializeAsync(), Postgres.InitializeAsync());

    public async Task DisposeAsync()
    {
        await RabbitMq.DisposeAsync();
        await Postgres.DisposeAsync();
    }

    /// <param name="clock">The service's clock; the real one unless given (tokens are checked against it too).</param>
    public async Task<FundingService> StartAsync(DatabaseEngine engine, TimeProvider? clock = null)
    {
        var database = engine == DatabaseEngine.Postgres ? await Postgres.CreateDatabaseAsync("funding") : SqliteFiles.NewDatabase("funding");
        var host = new ServiceHost<Program>(database, RabbitMq.AmqpUri)
        {
            TestServices = clock is null ? null : services => services.AddSingleton(clock),
        };
        _ = host.Server; // starts the host: migrations run now
        return new FundingService(host);
    }
}

[CollectionDefinition(Name)]
public sealed class FundingCollection : ICollectionFixture<FundingServers>
{
    public const string Name = "funding";
}

/// <summary>One funding service under test, with the arrangements the tests share.</summary>
public sealed class FundingService(ServiceHost<Program> host) : IAsyncDisposable
{
    public static readonly Uri Funders = new("/api/funding/funders", UriKind.Relative);
    public static readonly Uri Commitments = new("/api/funding/commitments", UriKind.Relative);

    public ServiceHost<Program> Host { get; } = host;

    public HttpClient Admin => Host.ClientAs("admin");

    public HttpClient Anonymous => Host.CreateClient();

    public HttpClient As(string? role, params string[] networks) => Host.ClientAs(role, networks);

    public ServiceDatabase Database => Host.Services.GetRequiredService<ServiceDatabase>();

    /// <summary>The network as the networks service's NetworkRegistered would put it into the read model.</summary>
    public Task GivenNetworkAsync(string slug, string name = "Testnetz") =>
        Database.WriteAsync(tx => NetworkCatalogueConsumer.CopyAsync(tx, slug, name, "active", 1));

    /// <summary>An open site as SiteOpened would put it into the read model (through the consumers' own code).</summary>
    public async Task<Guid> GivenSiteAsync(string network = "it-achse", string name = "Lingen", string opened = "2020-01-01")
    {
        var id = Guid.NewGuid();
        await Database.WriteAsync(tx => SitesConsumer.CopyAsync(tx, TimeProvider.System, id, network, name, name, "emsland", "open", DateOnly.Parse(opened), null, 1));
        return id;
    }

    public async Task<Guid> CreateFunderAsync(string name, string kind = "district", string? district = "emsland")
    {
        var response = await Admin.PostAsJsonAsync(Funders, new { name, kind, district });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public Task<HttpResponseMessage> CommitAsync(Guid funderId, Guid siteId, int share, string validFrom = "2025-01-01", string? validTo = null) =>
        Admin.PostAsJsonAsync(Commitments, new { funderId, siteId, shareBasisPoints = share, validFrom, validTo });

    public async Task<Guid> CommittedAsync(Guid funderId, Guid siteId, int share, string validFrom = "2025-01-01", string? validTo = null)
    {
        var response = await CommitAsync(funderId, siteId, share, validFrom, validTo);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task<long> CountAsync(string sql, object? args = null)
    {
        await using var connection = await Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }

    /// <summary>Events of a type written to the outbox (they leave for the broker after the commit).</summary>
    public Task<long> OutboxCountAsync(string messageType) =>
        CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE message_type LIKE @pattern", new { pattern = "%." + messageType + ",%" });

    /// <summary>The bodies of the events of a type in the outbox, oldest first, and whether each has been published to the broker.</summary>
    public async Task<IReadOnlyList<(JsonElement Body, bool Sent)>> OutboxAsync(string messageType)
    {
        await using var connection = await Database.OpenAsync();
        var rows = await connection.QueryAsync<OutboxRow>(
            "SELECT body AS Body, sent_at AS SentAt FROM outbox_messages WHERE message_type LIKE @pattern ORDER BY id",
            new { pattern = "%." + messageType + ",%" });
        return rows.Select(r => (JsonSerializer.Deserialize<JsonElement>(r.Body), r.SentAt is not null)).ToList();
    }

    public async Task<JsonElement> GetJsonAsync(string url, HttpClient? client = null) =>
        await (client ?? Admin).GetFromJsonAsync<JsonElement>(new Uri(url, UriKind.Relative));

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private sealed class OutboxRow
    {
        public string Body { get; init; } = "";
        public DateTimeOffset? SentAt { get; init; }
    }
}
