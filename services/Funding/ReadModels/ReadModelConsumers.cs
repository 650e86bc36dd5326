using EmsAchse.Platform.Messaging;
using EmsAchse.ReadModels;

namespace EmsAchse.Funding.ReadModels;

/// <summary>The copies funding keeps of other services' data, one queue per copy ("funding-{copy}").</summary>
internal static class ReadModelConsumers
{
    public static ServiceConsumers AddReadModels(this ServiceConsumers bus) => bus
        .Add<NetworkCatalogueConsumer>("network-catalogue")
        .Add<SitesConsumer>("sites")
        .Add<NetworkMembersConsumer>("network-members")
        // One queue per event until 2026-12: removed at start, the re-sync refills the copies.
        .Retire(
            "network-registered", "network-changed", "network-dissolved",
            "site-opened", "site-changed", "site-closed",
            "membership-activated", "membership-ended", "organization-updated");
}
