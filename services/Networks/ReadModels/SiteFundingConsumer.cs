using EmsAchse.Contracts.Funding;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.ReadModels;
using MassTransit;

namespace EmsAchse.Networks.ReadModels;

/// <summary>The copy of each site's funding coverage from the funding service, table <c>site_funding</c>.</summary>
public sealed class SiteFundingConsumer(Inbox inbox) : InboxConsumer(inbox), IConsumer<SiteFundingChanged>
{
    private static readonly VersionedCopy SiteFunding = new("site_funding", "site_id", "as_of", "coverage_basis_points", "status");

    public Task Consume(ConsumeContext<SiteFundingChanged> context) =>
        ApplyOnceAsync(context, (m, tx) => SiteFunding.UpsertAsync(tx, new { m.SiteId, m.AsOf, m.CoverageBasisPoints, m.Status, m.Version }));
}
