using EmsAchse.Contracts.Members;
using EmsAchse.Platform.Messaging;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>
    /// The members copy's re-sync at every start: only what changed after the copy's watermark, everything the first
    /// time (or with <see cref="ResyncWatermarks.FullSetting"/> on).
    /// </summary>
    public static IServiceCollection AddNetworkMembersResync(this IServiceCollection services) =>
        services.AddIncrementalResyncOnStart(NetworkMembersConsumer.ResyncOwner, (service, at, after) => new MembershipResyncRequested(service, at, after));
}
