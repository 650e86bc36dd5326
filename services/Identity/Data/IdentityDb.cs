using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;

namespace EmsAchse.Identity.Data;

/// <summary>
/// Accounts (ASP.NET Core Identity) and OpenIddict's applications, authorizations and tokens. One subclass per
/// engine, so each has its own migration set (Migrations/Sqlite, Migrations/Postgres).
/// </summary>
public abstract class IdentityDb(DbContextOptions options) : IdentityDbContext<Account, IdentityRole, string>(options)
{
    /// <summary>
    /// Identity's schema with passkeys. Identity reads it from <see cref="IdentityOptions"/> in the application's
    /// services while it builds the model, so the design-time factories below hand it over the same way.
    /// </summary>
    public static readonly Version SchemaVersionInUse = IdentitySchemaVersions.Version3;

    /// <summary>What Identity needs to see while it builds the model outside the running service.</summary>
    internal static IServiceProvider DesignTimeServices() =>
        new ServiceCollection().Configure<IdentityOptions>(o => o.Stores.SchemaVersion = SchemaVersionInUse).BuildServiceProvider();

    /// <summary>The networks service's managers at the version last applied.</summary>
    public DbSet<ManagerRight> ManagerRights => Set<ManagerRight>();

    /// <summary>Each account's sign-ins, failures, lockouts and changes of rights, passwords and second factors.</summary>
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    /// <summary>The inbox: messages already handled, per consumer.</summary>
    public DbSet<ProcessedMessage> ProcessedMessages => Set<ProcessedMessage>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict();
        builder.Entity<Account>().Property(a => a.DisplayName).HasMaxLength(200);
        builder.Entity<ManagerRight>(e =>
        {
            e.ToTable("ManagerRights");
            e.HasKey(r => r.ManagerId);
            e.Property(r => r.NormalizedEmail).HasMaxLength(256);
            e.Property(r => r.NetworkSlug).HasMaxLength(100);
            e.HasIndex(r => new { r.NormalizedEmail, r.NetworkSlug });
        });
        builder.Entity<AuditEntry>(e =>
        {
            e.ToTable("AuditEntries");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).ValueGeneratedOnAdd();
            e.Property(a => a.AccountId).HasMaxLength(450);
            e.Property(a => a.Email).HasMaxLength(256);
            e.Property(a => a.Kind).HasMaxLength(40);
            e.Property(a => a.Network).HasMaxLength(100);
            // An IPv6 address with a zone fits in 64.
            e.Property(a => a.Address).HasMaxLength(64);
            e.HasIndex(a => new { a.AccountId, a.At });
            e.HasIndex(a => new { a.Kind, a.At });
            e.HasIndex(a => a.At);
        });
        builder.Entity<ProcessedMessage>(e =>
        {
            e.ToTable("ProcessedMessages");
            e.HasKey(m => new { m.MessageId, m.Consumer });
            e.Property(m => m.Consumer).HasMaxLength(100);
            // For the clean-up of old rows at start.
            e.HasIndex(m => m.ReceivedAt);
        });
    }
}

public sealed class SqliteIdentityDb(DbContextOptions<SqliteIdentityDb> options) : IdentityDb(options);

public sealed class PostgresIdentityDb(DbContextOptions<PostgresIdentityDb> options) : IdentityDb(options);

/// <summary>For <c>dotnet ef migrations add ... --context SqliteIdentityDb</c>; never used at run time.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteIdentityDb>
{
    public SqliteIdentityDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteIdentityDb>().UseSqlite("Data Source=design-time.db")
            .UseApplicationServiceProvider(IdentityDb.DesignTimeServices()).Options);
}

/// <summary>For <c>dotnet ef migrations add ... --context PostgresIdentityDb</c>; never connects.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresIdentityDb>
{
    public PostgresIdentityDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresIdentityDb>().UseNpgsql("Host=localhost;Database=design_time")
            .UseApplicationServiceProvider(IdentityDb.DesignTimeServices()).Options);
}
