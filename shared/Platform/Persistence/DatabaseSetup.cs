using System.Reflection;
using Dapper;
using EmsAchse.Platform.Changes;
using EmsAchse.Platform.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EmsAchse.Platform.Persistence;

public static class DatabaseSetup
{
    /// <summary>
    /// The service's own database (SQLite or PostgreSQL from ConnectionStrings:Database), migrated at
    /// start-up before anything else starts. Messaging is added on what this returns
    /// (<c>AddServiceDatabase(...).AddMessaging(...)</c>), so the bus can only start after the migrations.
    /// </summary>
    public static ServiceDatabaseBuilder AddServiceDatabase(this IHostApplicationBuilder builder, Assembly migrationsAssembly)
    {
        builder.Services.AddSingleton(sp =>
        {
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString("Database");
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("ConnectionStrings:Database is not set (a SQLite 'Data Source=file.db' or a PostgreSQL 'Host=...').");
            }
            return new DbConnectionFactory(connectionString);
        });
        builder.Services.AddSingleton<MigrationRunner>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<ChangeActors>();
        builder.Services.AddSingleton<ServiceDatabase>();
        builder.Services.AddSingleton<IEndpointContributor, ChangesApi>();
        builder.Services.AddHostedService(sp => new DatabaseMigrator(sp.GetRequiredService<DbConnectionFactory>(), sp.GetRequiredService<MigrationRunner>(), migrationsAssembly));
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ServiceDefaults.ReadyTag]);
        return new ServiceDatabaseBuilder(builder);
    }
}

/// <summary>A host with its service database registered: what messaging builds on.</summary>
public sealed class ServiceDatabaseBuilder(IHostApplicationBuilder host)
{
    public IHostApplicationBuilder Host { get; } = host;
}

/// <summary>Applies migrations when the host starts; a failure stops the start-up, naming the script.</summary>
internal sealed class DatabaseMigrator(DbConnectionFactory connections, MigrationRunner runner, Assembly migrationsAssembly) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        runner.ApplyAsync(MigrationRunner.ForService(migrationsAssembly, connections.Engine), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class DatabaseHealthCheck(DbConnectionFactory connections) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy($"{connections.Engine} answers");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy($"{connections.Engine} does not answer", ex);
        }
    }
}
