using System.Security.Claims;
using EmsAchse.Contracts.Networks;
using EmsAchse.Identity.Accounts;
using EmsAchse.Identity.Audit;
using EmsAchse.Identity.Data;
using EmsAchse.Platform.Hosting;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Reference;
using MassTransit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EmsAchse.Identity.Managers;

/// <summary>
/// Applies the networks service's managers to the accounts: an appointed manager's account (keyed by the normalised
/// e-mail) gains the network claim, a new person gets an account that cannot sign in until the invitation is used,
/// a removed manager's account loses the claim. Two guards, both written in EF in the same transaction as the account
/// change: the inbox (a message id already handled by this queue changes nothing) and the version rule (an event not
/// newer than the one applied changes nothing, which also covers a re-sync's fresh copies of old events).
/// </summary>
public sealed partial class ManagerRights(
    IdentityDb db,
    UserManager<Account> accounts,
    Invitations invitations,
    AuditTrail audit,
    IConfiguration configuration,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<ManagerRights> logger)
{
    /// <summary>Known only in Development with Seed:Demo=true, for the demo seed's fictional managers.</summary>
    public const string DemoPassword = "Demo-Ems-Achse-2026";

    public async Task ApplyAsync(InboxKey message, Guid managerId, string email, string name, string networkSlug, long version, bool appointed, CancellationToken cancellationToken)
    {
        var normalized = accounts.NormalizeEmail(email.Trim());
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Another instance handling the same message at once fails on the key at commit; its retry then stops here.
        if (await db.ProcessedMessages.AnyAsync(m => m.MessageId == message.MessageId && m.Consumer == message.Consumer, cancellationToken))
        {
            LogDuplicate(message.MessageId, message.Consumer);
            return;
        }
        db.ProcessedMessages.Add(new ProcessedMessage { MessageId = message.MessageId, Consumer = message.Consumer, ReceivedAt = time.GetUtcNow().UtcDateTime });
        var held = await db.ManagerRights.SingleOrDefaultAsync(r => r.ManagerId == managerId, cancellationToken);
        if (held is not null && version <= held.Version)
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return;
        }
        if (held is null)
        {
            held = new ManagerRight { ManagerId = managerId };
            db.ManagerRights.Add(held);
        }
        held.NormalizedEmail = normalized;
        held.NetworkSlug = networkSlug;
        held.Version = version;
        held.Removed = !appointed;
        await db.SaveChangesAsync(cancellationToken);

        var manages = await db.ManagerRights.AnyAsync(r => r.NormalizedEmail == normalized && r.NetworkSlug == networkSlug && !r.Removed, cancellationToken);
        var account = await accounts.FindByEmailAsync(email.Trim());
        Uri? invitation = null;
        if (account is null)
        {
            if (!manages)
            {
                await transaction.CommitAsync(cancellationToken);
                return;
            }
            account = new Account { UserName = email.Trim(), Email = email.Trim(), EmailConfirmed = false, DisplayName = name };
            Check(await accounts.CreateAsync(account));
            if (IsDemoManager(email))
            {
                Check(await accounts.AddPasswordAsync(account, DemoPassword));
            }
            else
            {
                invitation = await invitations.CreateLinkAsync(account);
                audit.Add(account, AuditKinds.Invited, networkSlug);
            }
        }

        var claims = await accounts.GetClaimsAsync(account);
        var claim = claims.FirstOrDefault(c => c.Type == PlatformClaims.Network && c.Value == networkSlug);
        if (manages && claim is null)
        {
            Check(await accounts.AddClaimAsync(account, new Claim(PlatformClaims.Network, networkSlug)));
            if (!await accounts.IsInRoleAsync(account, Roles.NetworkManager))
            {
                Check(await accounts.AddToRoleAsync(account, Roles.NetworkManager));
            }
            audit.Add(account, AuditKinds.RightGained, networkSlug);
            LogGained(account.Id, networkSlug, version);
        }
        else if (!manages && claim is not null)
        {
            Check(await accounts.RemoveClaimAsync(account, claim));
            if (!claims.Any(c => c.Type == PlatformClaims.Network && c.Value != networkSlug) && await accounts.IsInRoleAsync(account, Roles.NetworkManager))
            {
                Check(await accounts.RemoveFromRoleAsync(account, Roles.NetworkManager));
            }
            audit.Add(account, AuditKinds.RightLost, networkSlug);
            LogLost(account.Id, networkSlug, version);
        }
        // The audit entries commit with the rights they record.
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        if (invitation is not null)
        {
            // After the commit: a rolled-back change sends no mail (a redelivery after a crash here sends none either).
            await invitations.SendAsync(account, invitation, networkSlug, cancellationToken);
            LogInvited(account.Id, networkSlug);
        }
    }

    private bool IsDemoManager(string email) =>
        environment.IsDevelopment() && configuration.GetValue<bool>("Seed:Demo")
        && DemoCatalogue.Managers.Any(m => string.Equals(m.Email, email.Trim(), StringComparison.OrdinalIgnoreCase));

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} was already handled by {Consumer}: dropped")]
    private partial void LogDuplicate(Guid messageId, string consumer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {AccountId} gained the network {Network} (manager event version {Version})")]
    private partial void LogGained(string accountId, string network, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {AccountId} lost the network {Network} (manager event version {Version})")]
    private partial void LogLost(string accountId, string network, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {AccountId} was invited as a manager of {Network}")]
    private partial void LogInvited(string accountId, string network);
}

public sealed class ManagerAppointedConsumer(ManagerRights rights) : IConsumer<ManagerAppointed>
{
    public Task Consume(ConsumeContext<ManagerAppointed> context)
    {
        var m = context.Message;
        return rights.ApplyAsync(InboxKey.Of(context), m.ManagerId, m.Email, m.Name, m.NetworkSlug, m.Version, appointed: true, context.CancellationToken);
    }
}

public sealed class ManagerRemovedConsumer(ManagerRights rights) : IConsumer<ManagerRemoved>
{
    public Task Consume(ConsumeContext<ManagerRemoved> context)
    {
        var m = context.Message;
        return rights.ApplyAsync(InboxKey.Of(context), m.ManagerId, m.Email, m.Name, m.NetworkSlug, m.Version, appointed: false, context.CancellationToken);
    }
}
