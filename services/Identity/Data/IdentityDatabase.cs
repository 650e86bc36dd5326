using EmsAchse.Platform.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EmsAchse.Identity.Data;

public static class IdentityDatabase
{
    /// <summary>SQLite for <c>Data Source=...</c>, PostgreSQL for <c>Host=...</c>, like the other services.</summary>
    public static void AddIdentityDatabase(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Database");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("ConnectionStrings:Database is not set.");
        }
        if (connectionString.TrimStart().StartsWith("Host=", StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.AddDbContext<IdentityDb, PostgresIdentityDb>(o => o.UseNpgsql(connectionString));
        }
        else
        {
            CreateSqliteFolder(connectionString);
            builder.Services.AddDbContext<IdentityDb, SqliteIdentityDb>(o => o.UseSqlite(connectionString));
        }
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ServiceDefaults.ReadyTag]);
    }

    /// <summary>Applies the engine's pending migrations (EF takes a lock, so concurrent instances wait for each other).</summary>
    public static async Task MigrateIdentityDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IdentityDb>().Database.MigrateAsync(cancellationToken);
    }

    /// <summary>Keeps the inbox from growing forever: forgets messages handled longer ago than the retention.</summary>
    public static async Task ForgetOldHandledMessagesAsync(this IServiceProvider services, TimeSpan retention, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var before = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime - retention;
        await scope.ServiceProvider.GetRequiredService<IdentityDb>().ProcessedMessages.Where(m => m.ReceivedAt < before).ExecuteDeleteAsync(cancellationToken);
    }

    private static void CreateSqliteFolder(string connectionString)
    {
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }

    private sealed class DatabaseHealthCheck(IdentityDb db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy($"{db.Database.ProviderName} answers")
                : HealthCheckResult.Unhealthy($"{db.Database.ProviderName} does not answer");
    }
}
