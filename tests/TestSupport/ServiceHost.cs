using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EmsAchse.TestSupport;

/// <summary>A service host on a real database and the real broker.</summary>
public sealed class ServiceHost<TProgram>(string connectionString, Uri broker) : WebApplicationFactory<TProgram>
    where TProgram : class
{
    private IHost? _host;

    /// <summary>Settings over the service's own (configuration keys, e.g. <c>Members:ResyncPageSize</c>).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Registrations that replace the service's own after it made them (a fixed clock, say).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        _host = base.CreateHost(builder);
        return _host;
    }

    /// <summary>
    /// The bus starts in the background; a host disposed before its bus is up cannot stop it, and the
    /// orphaned bus would go on taking messages from queues shared with later tests. So wait for it.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        var host = Interlocked.Exchange(ref _host, null);
        try
        {
            if (host?.Services.GetService<IBusControl>() is { } bus)
            {
                var until = DateTime.UtcNow.AddSeconds(30);
                while (bus.CheckHealth().Status != BusHealthStatus.Healthy && DateTime.UtcNow < until)
                {
                    await Task.Delay(50);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // A factory derived with WithWebHostBuilder creates its host through this one and disposed it already.
        }
        await base.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Database", connectionString);
        builder.UseSetting("RabbitMq:Uri", broker.ToString());
        builder.UseSetting("RabbitMq:RetryLimit", "2");
        builder.UseSetting("Outbox:PollInterval", "00:00:00.500");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        if (TestServices is { } configure)
        {
            builder.ConfigureTestServices(configure);
        }
    }

    public HttpClient ClientAs(string? role, params string[] networks)
    {
        var client = CreateClient();
        if (role is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DevTokens.For(role, networks));
        }
        return client;
    }
}

public static class Eventually
{
    /// <summary>Retries until the action stops throwing: events take a moment to cross the broker.</summary>
    public static async Task SucceedsAsync(Func<Task> action, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            try
            {
                await action();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < until)
            {
                await Task.Delay(200);
            }
        }
    }
}
