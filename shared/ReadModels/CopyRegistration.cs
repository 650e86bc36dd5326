using EmsAchse.Platform.Messaging;

namespace EmsAchse.ReadModels;

/// <summary>
/// The shared copies under the same queue name in every service that keeps one ("{service}-network-catalogue",
/// "{service}-network-members"). Until 2026-12 each event had a queue of its own: those are retired here (removed at
/// start; the re-sync refills the copy).
/// </summary>
public static class CopyRegistration
{
    public static ServiceConsumers AddNetworkCatalogueCopy(this ServiceConsumers bus) => bus
        .Add<NetworkCatalogueConsumer>("network-catalogue")
        .Retire("network-registered", "network-changed", "network-dissolved");

    public static ServiceConsumers AddNetworkMembersCopy(this ServiceConsumers bus) => bus
        .Add<NetworkMembersConsumer>("network-members")
        .Retire("membership-activated", "membership-ended", "organization-updated");
}
