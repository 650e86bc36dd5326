extern alias identity;
extern alias networks;

using EmsAchse.TestSupport;
using EmsAchse.TestSupport.Containers;
using Xunit;

namespace EmsAchse.Identity.Tests;

/// <summary>
/// The identity service on a real port over SQLite, and a real networks service (real broker) that trusts it through
/// Jwt:Authority and Jwt:MetadataAddress. The issuer is a "public gateway URL" where nothing listens, so the networks
/// service can only get identity's keys through the internal metadata address, as behind the gateway.
/// </summary>
public sealed class IdentityPlatform : IAsyncLifetime
{
    public const string PortalSecret = "portal-secret-for-tests-0123456789";

    private readonly RabbitMqServer _broker = new();

    public PostgresServer Postgres { get; } = new();

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "emsachse-tests", $"identity-{Guid.NewGuid():N}");

    /// <summary>The issuer: what the gateway's public URL would be; nothing answers there.</summary>
    public Uri Issuer { get; } = new($"http://127.0.0.1:{Ports.Free()}/identity/");

    public Uri PortalRedirectUri { get; } = new("http://127.0.0.1:9/signin-oidc");

    public KestrelHost<identity::Program> Identity { get; private set; } = null!;

    public KestrelHost<networks::Program> Networks { get; private set; } = null!;

    public string AdminEmail { get; private set; } = "";

    public string AdminPassword { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_broker.InitializeAsync(), Postgres.InitializeAsync());
        Identity = StartIdentity(SqliteFiles.NewDatabase("identity"), "sqlite");
        (AdminEmail, AdminPassword) = await ReadInitialAdminAsync("sqlite");

        Networks = new KestrelHost<networks::Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = SqliteFiles.NewDatabase("networks"),
            ["RabbitMq:Uri"] = _broker.AmqpUri.ToString(),
            ["RabbitMq:RetryLimit"] = "2",
            ["Outbox:PollInterval"] = "00:00:00.500",
            ["Seed:Demo"] = "true",
            ["Jwt:Authority"] = Issuer.ToString(),
            ["Jwt:MetadataAddress"] = new Uri(Identity.Address, "identity/.well-known/openid-configuration").ToString(),
            ["Jwt:RequireHttpsMetadata"] = "false",
        });
        using var client = new HttpClient { BaseAddress = Networks.Address };
        // Ready means the bus is up too, so disposing the host later stops it cleanly.
        await Eventually.SucceedsAsync(async () => (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).EnsureSuccessStatusCode(), seconds: 60);
        await Eventually.SucceedsAsync(async () => (await client.GetAsync(new Uri("/api/networks/it-achse", UriKind.Relative))).EnsureSuccessStatusCode(), seconds: 60);
    }

    /// <summary>
    /// An identity instance on the given database. All instances share the issuer and the keys folder, like several
    /// instances behind one gateway, so the networks service accepts the tokens of each.
    /// </summary>
    public KestrelHost<identity::Program> StartIdentity(string database, string name, int signInsPerMinute = 1000, string gatewayAddress = "127.0.0.1") => new(new Dictionary<string, string?>
    {
        ["Identity:GatewayAddresses:0"] = gatewayAddress,
        // All tests sign in from 127.0.0.1; only the rate-limit test keeps the limit low.
        ["Identity:SignInsPerMinute"] = signInsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ConnectionStrings:Database"] = database,
        ["Identity:Issuer"] = Issuer.ToString(),
        ["Identity:KeysFolder"] = Path.Combine(Folder, "keys"),
        ["Identity:InitialAdmin:PasswordFile"] = Path.Combine(Folder, $"initial-admin-{name}.txt"),
        ["Identity:Portal:ClientSecret"] = PortalSecret,
        ["Identity:Portal:RedirectUris:0"] = PortalRedirectUri.ToString(),
        ["Identity:MailFolder"] = MailFolder,
        ["Identity:DemoUsersFile"] = Path.Combine(Folder, $"demo-users-{name}.txt"),
        ["Seed:Demo"] = "true",
        ["RabbitMq:Uri"] = _broker.AmqpUri.ToString(),
        ["RabbitMq:RetryLimit"] = "2",
    });

    /// <summary>Where identity writes its mails (the invitations) as .eml files.</summary>
    public string MailFolder => Path.Combine(Folder, "mail");

    public Uri BrokerUri => _broker.AmqpUri;

    /// <summary>What deploy/run.sh prints: the first admin's e-mail and generated password, from the file identity wrote.</summary>
    public async Task<(string Email, string Password)> ReadInitialAdminAsync(string name)
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(Folder, $"initial-admin-{name}.txt"));
        return (lines[0], lines[1]);
    }

    public async Task DisposeAsync()
    {
        await Networks.DisposeAsync();
        await Identity.DisposeAsync();
        await _broker.DisposeAsync();
        await Postgres.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class IdentityCollection : ICollectionFixture<IdentityPlatform>
{
    public const string Name = "identity";
}
