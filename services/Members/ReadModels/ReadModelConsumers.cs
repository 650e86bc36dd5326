using EmsAchse.Platform.Messaging;
using EmsAchse.ReadModels;

namespace EmsAchse.Members.ReadModels;

/// <summary>The copies members keeps of other services' data, one queue per copy ("members-{copy}").</summary>
internal static class ReadModelConsumers
{
    public static ServiceConsumers AddReadModels(this ServiceConsumers bus) => bus
        .Add<NetworkCatalogueConsumer>("network-catalogue")
        // One queue per event until 2026-12: removed at start, the re-sync refills the copy.
        .Retire("network-registered", "network-changed", "network-dissolved");
}
