extern alias networks;
extern alias members;
extern alias funding;
extern alias gateway;
extern alias identity;

using System.Net.Http.Headers;
using System.Text.Json;
using EmsAchse.TestSupport;
using EmsAchse.TestSupport.Containers;
using Xunit;

namespace EmsAchse.Gateway.Tests;

/// <summary>
/// The gateway on a real port in front of the real services on real ports and the real broker: networks runs as
/// two instances (one in this process, one as a separate process that a test kills), plus a dedicated networks
/// instance for one network. API keys live in a JSON file the gateway reloads on change.
/// </summary>
public sealed class GatewayPlatform : IAsyncLifetime
{
    public const string DevKey = "emsachse-dev-integrator-key";
    public const string CrmKey = "crm-key-for-revocation-0001";
    public const string BurstKey = "burst-key-with-a-tiny-limit";
    public const int BurstLimit = 5;

    private readonly RabbitMqServer _broker = new();
    private readonly PostgresServer _postgres = new();

    public string ApiKeysFile { get; } = Path.Combine(Path.GetTempPath(), "emsachse-tests", $"gateway-keys-{Guid.NewGuid():N}.json");

    /// <summary>The network served by <see cref="DedicatedNetworks"/> instead of the shared networks cluster.</summary>
    public string DedicatedSlug { get; } = $"ded-{Guid.NewGuid():N}"[..16];

    public KestrelHost<networks::Program> Networks { get; private set; } = null!;
    public ServiceProcess SecondNetworks { get; private set; } = null!;
    public KestrelHost<networks::Program> DedicatedNetworks { get; private set; } = null!;
    public KestrelHost<members::Program> Members { get; private set; } = null!;
    public KestrelHost<funding::Program> Funding { get; private set; } = null!;
    public KestrelHost<gateway::Program> Gateway { get; private set; } = null!;
    public KestrelHost<identity::Program> Identity { get; private set; } = null!;
    public PortalStub Portal { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_broker.InitializeAsync(), _postgres.InitializeAsync());
        var broker = _broker.AmqpUri.ToString();
        // The two instances of the shared networks cluster share one PostgreSQL database, as in production.
        var networksDatabase = await _postgres.CreateDatabaseAsync("networks");
        Dictionary<string, string?> Service(string name, bool seed, string? database = null) => new()
        {
            ["ConnectionStrings:Database"] = database ?? SqliteFiles.NewDatabase(name),
            ["RabbitMq:Uri"] = broker,
            ["RabbitMq:RetryLimit"] = "2",
            ["Outbox:PollInterval"] = "00:00:00.500",
            ["Seed:Demo"] = seed ? "true" : "false",
        };

        Members = new KestrelHost<members::Program>(Service("members", seed: false), gatewayEndpoint: true);
        Funding = new KestrelHost<funding::Program>(Service("funding", seed: true), gatewayEndpoint: true);
        Networks = new KestrelHost<networks::Program>(Service("networks", seed: true, networksDatabase), gatewayEndpoint: true);
        // The second instance starts once the first has migrated and seeded the shared database.
        using (var first = new HttpClient { BaseAddress = Networks.Address })
        {
            await Eventually.SucceedsAsync(async () => (await first.GetAsync(new Uri("/api/networks/mema", UriKind.Relative))).EnsureSuccessStatusCode(), seconds: 60);
        }
        SecondNetworks = new ServiceProcess("services/Networks", "EmsAchse.Networks.dll", new Dictionary<string, string>
        {
            ["ConnectionStrings__Database"] = networksDatabase,
            ["RabbitMq__Uri"] = broker,
            ["Seed__Demo"] = "true",
        });
        DedicatedNetworks = new KestrelHost<networks::Program>(Service("networks-dedicated", seed: false));

        // The identity cluster needs a ready destination too (it is in appsettings.json since issue 11).
        var identityFolder = Path.Combine(Path.GetTempPath(), "emsachse-tests", $"gateway-identity-{Guid.NewGuid():N}");
        Identity = new KestrelHost<identity::Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = SqliteFiles.NewDatabase("identity"),
            ["Identity:KeysFolder"] = Path.Combine(identityFolder, "keys"),
            ["Identity:InitialAdmin:PasswordFile"] = Path.Combine(identityFolder, "initial-admin.txt"),
            ["Identity:MailFolder"] = Path.Combine(identityFolder, "mail"),
            ["RabbitMq:Uri"] = broker,
        });

        Portal = new PortalStub();

        await WriteApiKeysAsync(revokeCrm: false);
        Gateway = new KestrelHost<gateway::Program>(GatewaySettings(), ApiKeysFile);

        using var anonymous = GatewayClient();
        var second = new HttpClient { BaseAddress = SecondNetworks.Address };
        await Eventually.SucceedsAsync(async () => (await second.GetAsync(new Uri("/health/ready", UriKind.Relative))).EnsureSuccessStatusCode(), seconds: 60);
        await Eventually.SucceedsAsync(async () => (await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative))).EnsureSuccessStatusCode(), seconds: 60);
    }

    private Dictionary<string, string?> GatewaySettings() => new()
    {
        ["ReverseProxy:Clusters:networks:Destinations:networks-1:Address"] = Networks.GatewayAddress.ToString(),
        ["ReverseProxy:Clusters:networks:Destinations:networks-2:Address"] = SecondNetworks.GatewayAddress.ToString(),
        ["ReverseProxy:Clusters:members:Destinations:members-1:Address"] = Members.GatewayAddress.ToString(),
        ["ReverseProxy:Clusters:funding:Destinations:funding-1:Address"] = Funding.GatewayAddress.ToString(),
        ["ReverseProxy:Clusters:identity:Destinations:identity-1:Address"] = Identity.Address.ToString(),
        ["ReverseProxy:Clusters:portal:Destinations:portal-1:Address"] = Portal.Address.ToString(),
        // The dedicated cluster is not in appsettings.json, so it speaks HTTP/1.1 to the instance's ordinary port.
        ["ReverseProxy:Clusters:networks-dedicated:Destinations:dedicated-1:Address"] = DedicatedNetworks.Address.ToString(),
        ["ReverseProxy:Clusters:networks-dedicated:HealthCheck:Active:Enabled"] = "true",
        ["ReverseProxy:Clusters:networks-dedicated:HealthCheck:Active:Path"] = "/health/ready",
        ["ReverseProxy:Clusters:networks-dedicated:HealthCheck:Passive:Enabled"] = "true",
        [$"DedicatedInstances:Networks:{DedicatedSlug}"] = "networks-dedicated",
        // The stream of anonymous GETs in the failover test must not hit the anonymous limit, nor the tests that
        // send bad credentials on purpose the failed-authentication limit (its own test has a gateway of its own).
        ["RateLimits:Anonymous:TokenLimit"] = "100000",
        ["RateLimits:Anonymous:TokensPerPeriod"] = "100000",
        ["RateLimits:FailedAuthentication:TokenLimit"] = "100000",
        ["RateLimits:FailedAuthentication:TokensPerPeriod"] = "100000",
        ["Cors:PortalOrigins:0"] = "https://portal.ems-achse.example",
    };

    /// <summary>
    /// Another gateway in front of the same services, with the platform's settings and these on top (e.g. small rate
    /// limits that would disturb the other tests); the caller disposes it.
    /// </summary>
    public async Task<KestrelHost<gateway::Program>> StartGatewayAsync(IReadOnlyDictionary<string, string?> overrides)
    {
        var settings = GatewaySettings();
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }
        var gateway = new KestrelHost<gateway::Program>(settings, ApiKeysFile);
        using var client = new HttpClient { BaseAddress = gateway.Address };
        await Eventually.SucceedsAsync(async () => (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).EnsureSuccessStatusCode(), seconds: 30);
        return gateway;
    }

    public HttpClient GatewayClient(string? role = null, params string[] networks)
    {
        var client = new HttpClient { BaseAddress = Gateway.Address };
        if (role is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DevTokens.For(role, networks));
        }
        return client;
    }

    public HttpClient GatewayClientWithKey(string key)
    {
        var client = new HttpClient { BaseAddress = Gateway.Address };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>The gateway's key file: the dev key, a CRM key (revocable) and a key with a tiny rate limit; only hashes.</summary>
    public async Task WriteApiKeysAsync(bool revokeCrm)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ApiKeysFile)!);
        var keys = new
        {
            ApiKeys = new
            {
                Keys = new Dictionary<string, object>
                {
                    ["crm"] = new { Sha256 = Sha256(CrmKey), Roles = new[] { "integrator" }, Revoked = revokeCrm },
                    ["burst"] = new
                    {
                        Sha256 = Sha256(BurstKey),
                        Roles = new[] { "integrator" },
                        RateLimit = new { TokenLimit = BurstLimit, TokensPerPeriod = 1, ReplenishmentPeriod = "00:01:00" },
                    },
                },
            },
        };
        await File.WriteAllTextAsync(ApiKeysFile, JsonSerializer.Serialize(keys));
    }

    public static string Sha256(string key) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Portal.DisposeAsync();
        SecondNetworks.Dispose();
        await DedicatedNetworks.DisposeAsync();
        await Networks.DisposeAsync();
        await Funding.DisposeAsync();
        await Members.DisposeAsync();
        await Identity.DisposeAsync();
        await _broker.DisposeAsync();
        await _postgres.DisposeAsync();
        File.Delete(ApiKeysFile);
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayPlatformCollection : ICollectionFixture<GatewayPlatform>
{
    public const string Name = "gateway platform";
}
