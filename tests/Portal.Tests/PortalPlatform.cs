extern alias networks;
extern alias members;
extern alias funding;
extern alias gateway;
extern alias identity;

using System.Net.Http.Headers;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.DataProtection;
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

    public KestrelHost<networks::Program> Networks { get; private set; } = null!;
    public KestrelHost<members::Program> Members { get; private set; } = null!;
    public KestrelHost<funding::Program> Funding { get; private set; } = null!;
    public KestrelHost<gateway::Program> Gateway { get; private set; } = null!;

    /// <summary>The sign-in authority: the gateway's readiness counts its cluster too.</summary>
    public KestrelHost<identity::Program> Identity { get; private set; } = null!;
    public PortalProcess Portal { get; private set; } = null!;

    /// <summary>A portal whose gateway does not answer and whose legal texts are missing.</summary>
    public PortalProcess BrokenPortal { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The portal as a visitor reaches it: through the gateway.</summary>
    public Uri Address => Gateway.Address;

    public static string Screenshots => Path.Combine(Repository.Results, "portal-screenshots");

    /// <summary>The portal's client secret at identity, made for this run (nothing in the repository).</summary>
    private readonly string _portalSecret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private string _identityFolder = "";

    /// <summary>The portal's client id and secret at identity: what a thief of the portal's refresh token would also need.</summary>
    public (string Id, string Secret) PortalClient => ("portal", _portalSecret);

    /// <summary>
    /// The portal's session as the portal reads it: the page's (chunked) session cookie, decrypted with the portal's
    /// Data Protection keys under the test's data folder, so a test can see the tokens the portal holds for the user.
    /// </summary>
    public async Task<Microsoft.AspNetCore.Authentication.AuthenticationTicket> SessionOfAsync(IPage page)
    {
        var cookies = (await page.Context.CookiesAsync()).ToDictionary(c => c.Name, c => c.Value, StringComparer.Ordinal);
        var value = cookies[SessionCookie];
        if (value.StartsWith("chunks-", StringComparison.Ordinal))
        {
            var count = int.Parse(value["chunks-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            value = string.Concat(Enumerable.Range(1, count).Select(i => cookies[$"{SessionCookie}C{i}"]));
        }
        var keys = DataProtectionProvider.Create(
            new DirectoryInfo(Path.Combine(_identityFolder, "portal-keys")), b => b.SetApplicationName("emsachse-portal"));
        // The purposes the cookie handler protects its tickets with (scheme "Cookies").
        var protector = keys.CreateProtector("Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware", "Cookies", "v2");
        return new Microsoft.AspNetCore.Authentication.TicketDataFormat(protector).Unprotect(value)
            ?? throw new InvalidOperationException("The portal's session cookie did not decrypt with the portal's keys.");
    }

    /// <summary>The portal's session cookie (its chunks are named with C1, C2, ... after it).</summary>
    public const string SessionCookie = "emsachse.portal";

    /// <summary>Where identity writes its mails (the invitations) as .eml files: the development mail folder.</summary>
    public string MailFolder => Path.Combine(_identityFolder, "mail");

    /// <summary>The first admin's e-mail and generated password, as identity wrote them (what deploy/run.sh prints).</summary>
    public async Task<(string Email, string Password)> InitialAdminAsync()
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(_identityFolder, "initial-admin.txt"));
        return (lines[0], lines[1]);
    }

    public async Task InitializeAsync()
    {
        await _broker.InitializeAsync();
        var broker = _broker.AmqpUri.ToString();
        // The gateway's port is known first: identity's issuer and the portal's redirect URIs name it (the public address).
        var gatewayPort = Ports.Free();
        var publicAddress = new Uri($"http://127.0.0.1:{gatewayPort}/");
        var issuer = new Uri(publicAddress, "identity/").ToString();
        var identityPort = Ports.Free();
        var metadata = $"http://127.0.0.1:{identityPort}/identity/.well-known/openid-configuration";
        Dictionary<string, string?> Service(string name) => new()
        {
            ["ConnectionStrings:Database"] = SqliteFiles.NewDatabase(name),
            ["RabbitMq:Uri"] = broker,
            ["RabbitMq:RetryLimit"] = "2",
            ["Outbox:PollInterval"] = "00:00:00.500",
            ["Seed:Demo"] = "true",
            // Users' tokens come from identity (read at its own address); the development key still signs test tokens.
            ["Jwt:Authority"] = issuer,
            ["Jwt:MetadataAddress"] = metadata,
            ["Jwt:RequireHttpsMetadata"] = "false",
        };
        // Consumers first, so their queues exist before networks announces its catalogue.
        Members = new KestrelHost<members::Program>(Service("members"), gatewayEndpoint: true);
        Funding = new KestrelHost<funding::Program>(Service("funding"), gatewayEndpoint: true);
        Networks = new KestrelHost<networks::Program>(Service("networks"), gatewayEndpoint: true);

        _identityFolder = Path.Combine(Path.GetTempPath(), "emsachse-tests", $"portal-identity-{Guid.NewGuid():N}");
        var identityFolder = _identityFolder;
        Identity = new KestrelHost<identity::Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = SqliteFiles.NewDatabase("identity"),
            ["Identity:Issuer"] = issuer,
            ["Identity:KeysFolder"] = Path.Combine(identityFolder, "keys"),
            ["Identity:InitialAdmin:PasswordFile"] = Path.Combine(identityFolder, "initial-admin.txt"),
            ["Identity:MailFolder"] = Path.Combine(identityFolder, "mail"),
            ["Identity:DemoUsersFile"] = Path.Combine(identityFolder, "demo-users.txt"),
            ["Identity:Portal:ClientSecret"] = _portalSecret,
            ["Identity:Portal:RedirectUris:0"] = new Uri(publicAddress, "signin-oidc").ToString(),
            ["Identity:Portal:PostLogoutRedirectUris:0"] = new Uri(publicAddress, "signout-callback-oidc").ToString(),
            // Every sign-in of the tests comes from 127.0.0.1 through the gateway: no per-address limit in the way.
            ["Identity:SignInsPerMinute"] = "10000",
            ["Identity:FormPostsPerMinute"] = "10000",
            ["Seed:Demo"] = "true",
            ["RabbitMq:Uri"] = broker,
        }, fixedPort: identityPort);

        var portalPort = Ports.Free();
        Gateway = new KestrelHost<gateway::Program>(new Dictionary<string, string?>
        {
            ["RabbitMq:Uri"] = broker,
            ["Jwt:Authority"] = issuer,
            ["Jwt:MetadataAddress"] = metadata,
            ["Jwt:RequireHttpsMetadata"] = "false",
            ["ReverseProxy:Clusters:networks:Destinations:networks-1:Address"] = Networks.GatewayAddress.ToString(),
            ["ReverseProxy:Clusters:members:Destinations:members-1:Address"] = Members.GatewayAddress.ToString(),
            ["ReverseProxy:Clusters:funding:Destinations:funding-1:Address"] = Funding.GatewayAddress.ToString(),
            ["ReverseProxy:Clusters:identity:Destinations:identity-1:Address"] = Identity.Address.ToString(),
            // Browser and portal share 127.0.0.1 here, so one anonymous bucket holds both; the tests are no flood.
            ["RateLimits:Anonymous:TokenLimit"] = "100000",
            ["RateLimits:Anonymous:TokensPerPeriod"] = "100000",
            // As deploy/run.sh: the portal on loopback names the visitor of each of its API calls.
            ["TrustedForwarders:Addresses:0"] = "127.0.0.1",
            ["ReverseProxy:Clusters:portal:Destinations:portal-1:Address"] = $"http://127.0.0.1:{portalPort}/",
        }, fixedPort: gatewayPort);
        Portal = new PortalProcess(Gateway.Address, new Dictionary<string, string>
        {
            ["Portal__SignIn__Authority"] = issuer,
            ["Portal__SignIn__MetadataAddress"] = metadata,
            ["Portal__SignIn__ClientSecret"] = _portalSecret,
            ["Portal__SignIn__KeysFolder"] = Path.Combine(identityFolder, "portal-keys"),
        }, "portal", portalPort);
        BrokenPortal = new PortalProcess(new Uri($"http://127.0.0.1:{Ports.Free()}/"), new Dictionary<string, string>
        {
            ["Portal__LegalTextsPath"] = Path.Combine(Path.GetTempPath(), $"no-legal-texts-{Guid.NewGuid():N}"),
            ["Portal__SignIn__ClientSecret"] = "not-registered-anywhere",
            ["Portal__SignIn__KeysFolder"] = Path.Combine(identityFolder, "broken-portal-keys"),
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

    /// <summary>A new browser page at the given width, at the portal or the given address (a fresh context: no cookies from other tests).</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, Uri? address = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (address ?? Address).ToString(),
            Locale = "de-DE",
            ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 780 : 900 },
        });
        // Generous waits: on a busy 2-core CI machine a page can take seconds; the waits end as soon as the page is there.
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Signs in through the portal's header link: identity's German sign-in page, then back to the console. Returns when the
    /// console's page is there.
    /// </summary>
    public async Task SignInAsync(IPage page, string email, string password, string returnUrl = "/verwaltung")
    {
        await page.GotoAsync(new Uri(Address, $"/anmelden?returnUrl={Uri.EscapeDataString(returnUrl)}").ToString());
        await page.WaitForURLAsync("**/identity/**");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden", Exact = true }).ClickAsync();
        try
        {
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith(returnUrl.Split('?')[0], StringComparison.Ordinal), new() { Timeout = 60_000 });
        }
        catch (TimeoutException e)
        {
            // Say where the sign-in ended instead of only that it did not arrive.
            var text = await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 });
            throw new TimeoutException($"Sign-in of {email} did not reach {returnUrl}; the browser is at {page.Url}: {text[..Math.Min(text.Length, 600)]}", e);
        }
    }

    /// <summary>Reloads until the page shows what an event still on its way will bring.</summary>
    public static async Task ReloadUntilAsync(IPage page, Func<Task<bool>> shows, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await shows())
        {
            Assert.True(DateTime.UtcNow < until, $"{page.Url} did not show what was expected within {seconds} s");
            await Task.Delay(250);
            await page.ReloadAsync();
        }
    }

    /// <summary>Axe (no serious or critical violation) and no sideways scrolling at each width, with a screenshot kept as a test artefact.</summary>
    public static async Task CheckAsync(IPage page, string name, int[]? widths = null)
    {
        var original = page.ViewportSize!;
        var problems = new List<string>();
        foreach (var width in widths ?? [1280, 360])
        {
            await page.SetViewportSizeAsync(width, width < 600 ? 780 : 900);
            problems.AddRange(await ProblemsAsync(page, name, width));
        }
        await page.SetViewportSizeAsync(original.Width, original.Height);
        Assert.Empty(problems);
    }

    /// <summary>What is wrong with the page as shown now (axe serious or critical, wider than 360 px), and its screenshot <c>name-width.png</c>.</summary>
    public static async Task<List<string>> ProblemsAsync(IPage page, string name, int width)
    {
        var axe = await page.RunAxe();
        var problems = axe.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{name} at {width}px: {v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Select(n => n.Html).Take(3))}")
            .ToList();
        if (width == 360 && await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"))
        {
            problems.Add($"{name}: wider than 360 px");
        }
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, $"{name}-{width}.png"), FullPage = true });
        return problems;
    }

    /// <summary>The application form for IT-Achse, every required field filled (a company in Leer, a contact by phone); consent and submit are the caller's.</summary>
    public static async Task FillApplicationAsync(IPage page, string organization)
    {
        await page.GotoAsync("/mitglied-werden?netzwerk=it-achse");
        await page.Locator("#name").FillAsync(organization);
        await page.Locator("#kind").SelectOptionAsync("company");
        await page.Locator("#district").SelectOptionAsync("leer");
        await page.Locator("#town").FillAsync("Leer (Ostfriesland)");
        await page.Locator("#contact-name").FillAsync("Hinrich Test");
        await page.Locator("#contact-phone").FillAsync("0491 123456");
    }

    public const string DemoPassword = "Demo-Ems-Achse-2026";

    /// <summary>The demo seed's fictional manager of a network (deploy/run.sh demo-users).</summary>
    public static string DemoManager(string slug) => $"demo.{slug}@example.org";

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
        try
        {
            Directory.Delete(_identityFolder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PortalPlatformCollection : ICollectionFixture<PortalPlatform>
{
    public const string Name = "portal platform";
}
