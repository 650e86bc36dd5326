using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using EmsAchse.Platform.Persistence;
using EmsAchse.TestSupport;
using EmsAchse.TestSupport.Containers;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EmsAchse.Members.Tests;

/// <summary>The real broker and PostgreSQL server, shared by the collection; a fresh service and database per test.</summary>
public sealed class MembersServers : IAsyncLifetime
{
    public RabbitMqServer RabbitMq { get; } = new();
    public PostgresServer Postgres { get; } = new();

    public Task InitializeAsync() => Task.WhenAll(RabbitMq.InitializeAsync(), Postgres.InitializeAsync());

    public async Task DisposeAsync()
    {
        await RabbitMq.DisposeAsync();
        await Postgres.DisposeAsync();
    }

    /// <summary>A members service on a new database whose network catalogue holds the given networks.</summary>
    public Task<MembersService> StartAsync(DatabaseEngine engine, params (string Slug, string Status)[] catalogue) =>
        StartAsync(engine, new Dictionary<string, string>(), catalogue);

    /// <summary>The same with settings over the service's own.</summary>
    public async Task<MembersService> StartAsync(DatabaseEngine engine, IReadOnlyDictionary<string, string> settings, params (string Slug, string Status)[] catalogue)
    {
        var database = engine == DatabaseEngine.Postgres ? await Postgres.CreateDatabaseAsync("members") : SqliteFiles.NewDatabase("members");
        var host = new ServiceHost<Program>(database, RabbitMq.AmqpUri) { Settings = settings };
        _ = host.Server; // starts the host: migrations run now
        var service = new MembersService(host);
        if (catalogue.Length == 0)
        {
            catalogue = [("it-achse", "active"), ("mema", "active"), ("old-net", "dissolved")];
        }
        // The catalogue copy is normally filled from the networks service's events; here it is written into the service's own database.
        await service.Database.WriteAsync(async tx =>
        {
            foreach (var (slug, status) in catalogue)
            {
                await tx.ExecuteAsync("INSERT INTO network_catalogue (slug, name, status, version) VALUES (@slug, @slug, @status, 1)", new { slug, status });
            }
        });
        return service;
    }
}

[CollectionDefinition(Name)]
public sealed class MembersCollection : ICollectionFixture<MembersServers>
{
    public const string Name = "members";
}

/// <summary>One members service under test, with helpers that go through its API and read its database.</summary>
public sealed class MembersService(ServiceHost<Program> host) : IAsyncDisposable
{
    public ServiceHost<Program> Host { get; } = host;
    public ServiceDatabase Database => Host.Services.GetRequiredService<ServiceDatabase>();
    public HttpClient Anonymous => Host.CreateClient();
    public HttpClient Admin => Host.ClientAs("admin");

    public HttpClient Manager(params string[] networks) => Host.ClientAs("network-manager", networks);

    public HttpClient Integrator => Host.ClientAs("integrator");

    public static Uri Url(string path) => new(path, UriKind.Relative);

    public static object NewOrg(string name = "Emsland Software GmbH", string town = "Lingen (Ems)", string district = "emsland", string kind = "company", string[]? industries = null, string? website = "https://www.emsland-software.de") =>
        new { name, kind, district, town, address = "Kaiserstraße 1, 49809 Lingen (Ems)", website, industries = industries ?? ["it"], employees = "10-49" };

    /// <summary>Registers an organisation as admin and returns its id.</summary>
    public async Task<Guid> CreateOrganizationAsync(object organization)
    {
        var response = await Admin.PostAsJsonAsync(Url("/api/members/organizations"), organization);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task<Guid> AddContactAsync(Guid organizationId, string name, string email, bool consent)
    {
        var response = await Admin.PostAsJsonAsync(Url($"/api/members/organizations/{organizationId}/contacts"), new { name, email, phone = "+49 591 12345", role = "Geschäftsführung", consentToPublish = consent });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Applies with an existing organisation (as admin: only someone responsible for it may) and returns the application id.</summary>
    public async Task<Guid> ApplyAsync(Guid organizationId, string network)
    {
        var response = await Admin.PostAsJsonAsync(Url("/api/members/applications"), new { network, organizationId });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>An active membership: applied and approved by admin.</summary>
    public async Task<Guid> MemberAsync(Guid organizationId, string network)
    {
        var id = await ApplyAsync(organizationId, network);
        (await Admin.PostAsync(Url($"/api/members/applications/{id}/approve"), null)).EnsureSuccessStatusCode();
        return id;
    }

    /// <summary>Row counts of every table a request could change, and the outbox: equal snapshots mean nothing changed.</summary>
    public async Task<string> SnapshotAsync()
    {
        await using var connection = await Database.OpenAsync();
        const string sql = """
            SELECT (SELECT COUNT(*) FROM organizations) AS o, (SELECT COUNT(*) FROM contacts) AS c,
                   (SELECT COUNT(*) FROM memberships) AS m, (SELECT COUNT(*) FROM outbox_messages) AS e,
                   (SELECT COALESCE(SUM(version), 0) FROM organizations) AS ov, (SELECT COALESCE(SUM(version), 0) FROM memberships) AS mv,
                   (SELECT COUNT(*) FROM memberships WHERE status = 'active') AS active
            """;
        var row = await connection.QuerySingleAsync(sql);
        return $"orgs={row.o} contacts={row.c} memberships={row.m} events={row.e} orgVersions={row.ov} membershipVersions={row.mv} active={row.active}";
    }

    public async Task<long> EventsAsync(string messageTypeEnd)
    {
        await using var connection = await Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE message_type LIKE @type", new { type = "%." + messageTypeEnd + ",%" });
    }

    /// <summary>The events of a type in the outbox, oldest first, and whether each has been published to the broker.</summary>
    public async Task<IReadOnlyList<(JsonElement Body, bool Sent)>> OutboxAsync(string messageTypeEnd)
    {
        await using var connection = await Database.OpenAsync();
        var rows = await connection.QueryAsync<OutboxRow>(
            "SELECT body AS Body, sent_at AS SentAt FROM outbox_messages WHERE message_type LIKE @type ORDER BY id",
            new { type = "%." + messageTypeEnd + ",%" });
        return rows.Select(r => (JsonSerializer.Deserialize<JsonElement>(r.Body), r.SentAt is not null)).ToList();
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private sealed class OutboxRow
    {
        public string Body { get; init; } = "";
        public DateTimeOffset? SentAt { get; init; }
    }
}
