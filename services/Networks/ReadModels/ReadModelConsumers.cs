using EmsAchse.Platform.Messaging;
using EmsAchse.ReadModels;

namespace EmsAchse.Networks.ReadModels;

/// <summary>The copies networks keeps of other services' data, one queue per copy ("networks-{copy}").</summary>
internal static class ReadModelConsumers
{
    public static ServiceConsumers AddReadModels(this ServiceConsumers bus) => bus
        .Add<NetworkMembersConsumer>("network-members")
        .Add<SiteFundingConsumer>("site-funding")
        // One queue per event until 2026-12: removed at start, the re-sync refills the copies.
        .Retire("membership-activated", "membership-ended", "organization-updated", "site-funding-changed");
}
