extern alias networks;
extern alias members;
extern alias funding;
extern alias gateway;
extern alias identity;

using System.Net.Http.Headers;
using EmsAchse.TestSupport;
using EmsAchse.TestSupport.Containers;
using Microsoft.Playwright;
using Xunit;

namespace EmsAchse.Portal.Tests;

/// <summary>
/// One platform for the browser tests: the real networks, members and funding services on SQLite with the demo seed,
/// the real broker, the real gateway, and the portal as its own process behind it, plus headless Debian chromium.
/// A second portal whose gateway is unreachable and whose legal texts are missing shows the unhappy faces.
/// </summary>
public sealed class PortalPlatform : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly RabbitMqServer _broker = new();
    private IPlaywright? _playwright;

    public HostOnPort<networks::Program> Networks { get; private set; } = null!;
    public HostOnPort<members::Program> Members { get; private set; } = null!;
    public HostOnPort<funding::Program> Funding { get; private set; } = null!;
    public HostOnPort<gateway::Program> Gateway { get; private set; } = null!;

    /// <summary>The sign-in authority: the gateway's readiness counts its cluster too.</summary>
    public HostOnPort<identity::Program> Identity { get; private set; } = null!;
    public PortalProcess Portal { get; private set; } = null!;

    /// <summary>A portal whose gateway does not answer and whose legal texts are missing.</summary>
    public PortalProcess BrokenPortal { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The portal as a visitor reaches it: through the gateway.</summary>
    public Uri Address => Gateway.Address;

    public static string Screenshots => Path.Combine(Repository.Results, "portal-screenshots");

    public async Task InitializeAsync()
    {
        await _broker.InitializeAsync();
        var broker = _broker.AmqpUri.ToString();
        Dictionary<string, string?> Service(string name) => new()
        {
            ["ConnectionStrings:Database"] = SqliteFiles.NewDatabase(name),
            ["RabbitMq:Uri"] = broker,
            ["RabbitMq:RetryLimit"] = "2",
            ["Outbox:PollInterval"] = "00:00:00.500",
            ["Seed:Demo"] = "true",
        };
        // Consumers first, so their queues exist before networks announces its catalogue.
        Members = new HostOnPort<members::Program>(Service("members"), gatewayEndpoint: true);
        Funding = new HostOnPort<funding::Program>(Service("funding"), gatewayEndpoint: true);
        Networks = new HostOnPort<networks::Program>(Service("networks"), gatewayEndpoint: true);

        var identityFolder = Path.Combine(Path.GetTempPath(), "emsachse-tests", $"portal-identity-{Guid.NewGuid():N}");
        Identity = new HostOnPort<identity::Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = SqliteFiles.NewDatabase("identity"),
            ["Identity:KeysFolder"] = Path.Combine(identityFolder, "keys"),
            ["Identity:InitialAdmin:PasswordFile"] = Path.Combine(identityFolder, "initial-admin.txt"),
            ["Identity:MailFolder"] = Path.Combine(identityFolder, "mail"),
            ["RabbitMq:Uri"] = broker,
        });

        var portalPort = Ports.Free();
        Gateway = new HostOnPort<gateway::Program>(new Dictionary<string, string?>
        {
            ["RabbitMq:Uri"] = broker,
            ["ReverseProxy:Clusters:networks:Destinations:networks-1:Address"] = Networks.GatewayAddress.ToString(),
            ["ReverseProxy:Clusters:members:Destinations:members-1:Address"] = Members.GatewayAddress.ToString(),
            ["ReverseProxy:Clusters:funding:Destinations:funding-1:Address"] = Funding.GatewayAddress.ToString(),
            ["ReverseProxy:Clusters:identity:Destinations:identity-1:Address"] = Identity.Address.ToString(),
            // Browser and portal share 127.0.0.1 here, so one anonymous bucket holds both; the tests are no flood.
            ["RateLimits:Anonymous:TokenLimit"] = "100000",
            ["RateLimits:Anonymous:TokensPerPeriod"] = "100000",
            ["ReverseProxy:Clusters:portal:Destinations:portal-1:Address"] = $"http://127.0.0.1:{portalPort}/",
        });
        Portal = new PortalProcess(Gateway.Address, new Dictionary<string, string>(), "portal", portalPort);
        BrokenPortal = new PortalProcess(new Uri($"http://127.0.0.1:{Ports.Free()}/"), new Dictionary<string, string>
        {
            ["Portal__LegalTextsPath"] = Path.Combine(Path.GetTempPath(), $"no-legal-texts-{Guid.NewGuid():N}"),
        }, "broken-portal");

        using var http = new HttpClient { BaseAddress = Gateway.Address };
        await Eventually.SucceedsAsync(async () => (await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).EnsureSuccessStatusCode(), seconds: 90);
        using var broken = new HttpClient { BaseAddress = BrokenPortal.Address };
        await Eventually.SucceedsAsync(async () => (await broken.GetAsync(new Uri("/health/live", UriKind.Relative))).EnsureSuccessStatusCode(), seconds: 60);

        _playwright = await Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout(30_000);
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(Screenshots);
    }

    /// <summary>A new browser page at the given width (a fresh context: no cookies from other tests).</summary>
    public async Task<IPage> NewPageAsync(int width = 1280)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.ToString(),
            Locale = "de-DE",
            ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 780 : 900 },
        });
        // Generous waits: on a busy 2-core CI machine a page can take seconds; the waits end as soon as the page is there.
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        return await context.NewPageAsync();
    }

    public HttpClient Api(string? role = null)
    {
        var client = new HttpClient { BaseAddress = Gateway.Address };
        if (role is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DevTokens.For(role));
        }
        return client;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        BrokenPortal?.Dispose();
        Portal?.Dispose();
        await Gateway.DisposeAsync();
        await Networks.DisposeAsync();
        await Funding.DisposeAsync();
        await Members.DisposeAsync();
        await Identity.DisposeAsync();
        await _broker.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PortalPlatformCollection : ICollectionFixture<PortalPlatform>
{
    public const string Name = "portal platform";
}
