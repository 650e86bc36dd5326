extern alias identity;

using System.Net;
using EmsAchse.Contracts.Networks;
using EmsAchse.TestSupport;
using EmsAchse.TestSupport.Containers;
using MassTransit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Account = identity::EmsAchse.Identity.Data.Account;

namespace EmsAchse.Identity.Tests;

/// <summary>
/// Identity alone on its own broker, fed manager events by the test as the networks service would send them (duplicated,
/// out of order), with invitations valid for a few seconds only.
/// </summary>
public sealed class IsolatedIdentity : IAsyncLifetime
{
    private readonly RabbitMqServer _broker = new();

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "emsachse-tests", $"identity-isolated-{Guid.NewGuid():N}");

    public KestrelHost<identity::Program> Identity { get; private set; } = null!;

    public IBusControl Bus { get; private set; } = null!;

    public string MailFolder => Path.Combine(Folder, "mail");

    public async Task InitializeAsync()
    {
        await _broker.InitializeAsync();
        Identity = new KestrelHost<identity::Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = SqliteFiles.NewDatabase("identity-isolated"),
            ["Identity:Issuer"] = $"http://127.0.0.1:{Ports.Free()}/identity/",
            ["Identity:KeysFolder"] = Path.Combine(Folder, "keys"),
            ["Identity:InitialAdmin:PasswordFile"] = Path.Combine(Folder, "initial-admin.txt"),
            ["Identity:MailFolder"] = MailFolder,
            ["Identity:InvitationLifespan"] = "00:00:04",
            ["RabbitMq:Uri"] = _broker.AmqpUri.ToString(),
            ["RabbitMq:RetryLimit"] = "2",
        });
        using var client = new HttpClient { BaseAddress = Identity.Address };
        await Eventually.SucceedsAsync(async () => (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).EnsureSuccessStatusCode(), seconds: 60);
        Bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(_broker.AmqpUri));
        await Bus.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Bus.StopAsync();
        await Identity.DisposeAsync();
        await _broker.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed class ManagerEventOrderTests(IsolatedIdentity platform) : IClassFixture<IsolatedIdentity>
{
    [Fact]
    public async Task redelivered_and_reordered_manager_events_leave_the_same_state_as_in_order()
    {
        var inOrder = Person();
        var shuffled = Person();
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        // In order: appointed to two networks, removed from the first.
        await PublishAsync(
            new ManagerAppointed(a, inOrder, "Ina Ordnung", "mema", 1, DateTimeOffset.UtcNow),
            new ManagerAppointed(b, inOrder, "Ina Ordnung", "mariko", 1, DateTimeOffset.UtcNow),
            new ManagerRemoved(a, inOrder, "Ina Ordnung", "mema", 2, DateTimeOffset.UtcNow));
        // The same history for another person, each event twice and the removal before its appointment.
        var (c, d) = (Guid.NewGuid(), Guid.NewGuid());
        var removal = new ManagerRemoved(c, shuffled, "Udo Unordnung", "mema", 2, DateTimeOffset.UtcNow);
        var appointment = new ManagerAppointed(c, shuffled, "Udo Unordnung", "mema", 1, DateTimeOffset.UtcNow);
        var other = new ManagerAppointed(d, shuffled, "Udo Unordnung", "mariko", 1, DateTimeOffset.UtcNow);
        await PublishAsync(removal, other, removal, appointment, other, appointment);
        // A marker event after the rest: once it is applied, everything before it on the queue is too.
        var marker = Person();
        await PublishAsync(new ManagerAppointed(Guid.NewGuid(), marker, "Mara Marke", "tourismus", 1, DateTimeOffset.UtcNow));

        await Eventually.SucceedsAsync(async () => Assert.Equal(["tourismus"], await NetworksOfAsync(marker)));
        Assert.Equal(["mariko"], await NetworksOfAsync(inOrder));
        Assert.Equal(["mariko"], await NetworksOfAsync(shuffled));

        // A re-sync replays the current state at the same versions: nothing changes, and a stale appointment is ignored.
        await PublishAsync(appointment, other, new ManagerAppointed(a, inOrder, "Ina Ordnung", "mema", 1, DateTimeOffset.UtcNow));
        var marker2 = Person();
        await PublishAsync(new ManagerAppointed(Guid.NewGuid(), marker2, "Mara Marke", "tourismus", 1, DateTimeOffset.UtcNow));
        await Eventually.SucceedsAsync(async () => Assert.Equal(["tourismus"], await NetworksOfAsync(marker2)));
        Assert.Equal(["mariko"], await NetworksOfAsync(inOrder));
        Assert.Equal(["mariko"], await NetworksOfAsync(shuffled));
        // Each person was invited once, however often the events came.
        Assert.Single(Directory.GetFiles(platform.MailFolder, "*.eml"), f => File.ReadAllText(f).Contains($"<{shuffled}>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task an_expired_invitation_link_is_refused()
    {
        var email = Person();
        await PublishAsync(new ManagerAppointed(Guid.NewGuid(), email, "Erik Erloschen", "automotive", 1, DateTimeOffset.UtcNow));
        var link = await ManagerRightsTests.InvitationLinkAsync(platform.MailFolder, email, platform.Identity.Address);
        using var browser = new Browser(platform.Identity.Address);

        // The link is valid for four seconds in this instance (seven days by default), then refused.
        await Eventually.SucceedsAsync(async () =>
        {
            using var page = await browser.GetAsync(link);
            Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        });
        using var refused = await browser.PostWithTokenFromAsync(new Uri(platform.Identity.Address, "identity/anmelden"), link, new Dictionary<string, string>
        {
            ["Token"] = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(link.Query)["token"].ToString(),
            ["Password"] = "Erik-Erloschen-2026!",
            ["Repeat"] = "Erik-Erloschen-2026!",
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        await using var scope = platform.Identity.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        Assert.False(await accounts.HasPasswordAsync((await accounts.FindByEmailAsync(email))!));
    }

    private async Task PublishAsync(params object[] events)
    {
        foreach (var e in events)
        {
            await platform.Bus.Publish(e, e.GetType());
        }
    }

    private async Task<string[]> NetworksOfAsync(string email)
    {
        await using var scope = platform.Identity.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var account = await accounts.FindByEmailAsync(email);
        Assert.NotNull(account);
        return [.. (await accounts.GetClaimsAsync(account)).Where(c => c.Type == "network").Select(c => c.Value).Order(StringComparer.Ordinal)];
    }

    private static string Person() => $"person-{Guid.NewGuid():N}@example.org";
}
