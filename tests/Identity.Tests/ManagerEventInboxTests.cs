extern alias identity;

using EmsAchse.Contracts.Networks;
using EmsAchse.TestSupport;
using EmsAchse.TestSupport.Containers;
using MassTransit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Account = identity::EmsAchse.Identity.Data.Account;
using IdentityDb = identity::EmsAchse.Identity.Data.IdentityDb;
using ProcessedMessage = identity::EmsAchse.Identity.Data.ProcessedMessage;

namespace EmsAchse.Identity.Tests;

/// <summary>
/// A broker and a PostgreSQL server of their own, with no identity running: each test starts its instance on the engine
/// it names and stops it, so no other instance competes for the queue "identity-managers".
/// </summary>
public sealed class InboxPlatform : IAsyncLifetime
{
    private readonly RabbitMqServer _broker = new();

    public PostgresServer Postgres { get; } = new();

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "emsachse-tests", $"identity-inbox-{Guid.NewGuid():N}");

    public IBusControl Bus { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_broker.InitializeAsync(), Postgres.InitializeAsync());
        Bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(_broker.AmqpUri));
        await Bus.StartAsync();
    }

    public async Task<string> DatabaseAsync(string engine) =>
        engine == "postgres" ? await Postgres.CreateDatabaseAsync("identity_inbox") : SqliteFiles.NewDatabase("identity-inbox");

    /// <summary>An identity instance, returned once it is ready (its queue bound).</summary>
    public async Task<KestrelHost<identity::Program>> StartIdentityAsync(string database)
    {
        var host = new KestrelHost<identity::Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = database,
            ["Identity:Issuer"] = $"http://127.0.0.1:{Ports.Free()}/identity/",
            ["Identity:KeysFolder"] = Path.Combine(Folder, "keys"),
            ["Identity:InitialAdmin:PasswordFile"] = Path.Combine(Folder, $"initial-admin-{Guid.NewGuid():N}.txt"),
            ["Identity:MailFolder"] = Path.Combine(Folder, "mail"),
            ["RabbitMq:Uri"] = _broker.AmqpUri.ToString(),
            ["RabbitMq:RetryLimit"] = "2",
        });
        using var client = new HttpClient { BaseAddress = host.Address };
        await Eventually.SucceedsAsync(async () => (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).EnsureSuccessStatusCode(), seconds: 60);
        return host;
    }

    public async Task DisposeAsync()
    {
        await Bus.StopAsync();
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

public sealed class ManagerEventInboxTests(InboxPlatform platform) : IClassFixture<InboxPlatform>
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task a_message_id_already_handled_has_no_second_effect_even_with_a_newer_version(string engine)
    {
        var database = await platform.DatabaseAsync(engine);
        var identity = await platform.StartIdentityAsync(database);
        try
        {
            var email = Person();
            var (managerId, messageId) = (Guid.NewGuid(), Guid.NewGuid());
            await platform.Bus.Publish(new ManagerAppointed(managerId, email, "Ines Inbox", "mema", 1, DateTimeOffset.UtcNow), c => c.MessageId = messageId);
            // A newer version under the id already handled: the version rule alone would apply it.
            await platform.Bus.Publish(new ManagerRemoved(managerId, email, "Ines Inbox", "mema", 2, DateTimeOffset.UtcNow), c => c.MessageId = messageId);
            await AfterQueueAsync(identity);

            Assert.Equal(["mema"], await NetworksOfAsync(identity, email));
            Assert.Equal(["identity-managers"], await ConsumersOfAsync(identity, messageId));

            // The same removal under its own id is applied: the inbox, not the event, dropped it.
            await platform.Bus.Publish(new ManagerRemoved(managerId, email, "Ines Inbox", "mema", 2, DateTimeOffset.UtcNow));
            await Eventually.SucceedsAsync(async () => Assert.Empty(await NetworksOfAsync(identity, email)));

            // Rows older than the retention (30 days) are gone after the next start; recent ones stay.
            var old = Guid.NewGuid();
            await using (var scope = identity.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
                db.ProcessedMessages.Add(new ProcessedMessage { MessageId = old, Consumer = "identity-managers", ReceivedAt = DateTime.UtcNow.AddDays(-31) });
                await db.SaveChangesAsync();
            }
            Assert.Single(await ConsumersOfAsync(identity, old));
            await identity.DisposeAsync();
            identity = await platform.StartIdentityAsync(database);
            Assert.Empty(await ConsumersOfAsync(identity, old));
            Assert.Single(await ConsumersOfAsync(identity, messageId));
        }
        finally
        {
            await identity.DisposeAsync();
        }
    }

    /// <summary>One message at a time on the queue: once a marker published last is applied, all before it are.</summary>
    private async Task AfterQueueAsync(KestrelHost<identity::Program> identity)
    {
        var marker = Person();
        await platform.Bus.Publish(new ManagerAppointed(Guid.NewGuid(), marker, "Mara Marke", "tourismus", 1, DateTimeOffset.UtcNow));
        await Eventually.SucceedsAsync(async () => Assert.Equal(["tourismus"], await NetworksOfAsync(identity, marker)));
    }

    private static async Task<string[]> NetworksOfAsync(KestrelHost<identity::Program> identity, string email)
    {
        await using var scope = identity.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var account = await accounts.FindByEmailAsync(email);
        Assert.NotNull(account);
        return [.. (await accounts.GetClaimsAsync(account)).Where(c => c.Type == "network").Select(c => c.Value).Order(StringComparer.Ordinal)];
    }

    private static async Task<string[]> ConsumersOfAsync(KestrelHost<identity::Program> identity, Guid messageId)
    {
        await using var scope = identity.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        return await db.ProcessedMessages.Where(m => m.MessageId == messageId).Select(m => m.Consumer).ToArrayAsync();
    }

    private static string Person() => $"person-{Guid.NewGuid():N}@example.org";
}
