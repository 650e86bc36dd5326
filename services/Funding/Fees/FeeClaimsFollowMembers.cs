using EmsAchse.Contracts.Members;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.Reference;
using EmsAchse.ReadModels;

namespace EmsAchse.Funding.Fees;

public static class FeeClaimsSetup
{
    /// <summary>Fee claims follow the copy of the memberships, and each year's claims are issued as it begins.</summary>
    public static IServiceCollection AddFeeClaims(this IServiceCollection services)
    {
        services.AddSingleton<INetworkMembersFollower, FeeClaimsFollowMembers>();
        services.AddHostedService<AnnualFeeClaims>();
        return services;
    }
}

/// <summary>What the fee claims do after the copy of the memberships changed, in the copy's transaction.</summary>
internal sealed class FeeClaimsFollowMembers(TimeProvider clock) : INetworkMembersFollower
{
    /// <summary>
    /// An activated membership owes the fee of the year it became active (its Since, the business date members
    /// set), pro rata from its start, and of every year after it up to today: an approval on 30 December
    /// consumed on 2 January still gets its December claim. The status is the one the event carries.
    /// An ended membership gets no further claims; the claims already issued stay.
    /// </summary>
    public async Task MembershipActivatedAsync(WriteTransaction tx, MembershipActivated m)
    {
        var issued = 0;
        foreach (var year in FeeClaims.YearsOwed(m.Since, m.Until, BusinessCalendar.Today(clock)))
        {
            issued += await FeeClaims.IssueMissingAsync(tx, year, membershipId: m.MembershipId);
        }
        if (issued > 0)
        {
            await tx.RecordChangeAsync("fee-claim.issued", "membership", m.MembershipId.ToString(), m.Network);
        }
    }

    /// <summary>
    /// A renamed or re-classified organisation: its memberships' next claims carry the new name, and follow the new
    /// kind's fee; claims already issued keep the name and kind they were issued for. A kind that pays a fee makes this
    /// year's claim due now, as a changed fee schedule does.
    /// </summary>
    public async Task OrganizationUpdatedAsync(WriteTransaction tx, OrganizationUpdated m)
    {
        var year = BusinessCalendar.Today(clock).Year;
        var active = await tx.QueryAsync<Guid>("SELECT membership_id FROM network_members WHERE organization_id = @OrganizationId AND status = 'active'", new { m.OrganizationId });
        foreach (var membershipId in active)
        {
            await FeeClaims.IssueMissingAsync(tx, year, membershipId: membershipId);
        }
    }
}

/// <summary>Issues each year's claims for memberships that carry on into it (checked at start and hourly).</summary>
internal sealed class AnnualFeeClaims(ServiceDatabase db, TimeProvider clock, ILogger<AnnualFeeClaims> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                var year = BusinessCalendar.Today(clock).Year;
                var issued = await db.WriteAsync(tx => FeeClaims.IssueMissingAsync(tx, year), stoppingToken);
                if (issued > 0)
                {
                    logger.LogInformation("Issued {Claims} membership fee claims for {Year}", issued, year);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Issuing the year's membership fee claims failed; retrying within the hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
