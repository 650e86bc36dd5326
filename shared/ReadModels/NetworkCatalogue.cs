using EmsAchse.Contracts.Networks;
using EmsAchse.Platform.Messaging;
using EmsAchse.Platform.Persistence;
using EmsAchse.Platform.ReadModels;
using MassTransit;

namespace EmsAchse.ReadModels;

/// <summary>
/// The copy of the networks service's catalogue, table <c>network_catalogue</c> (slug, name, status, version):
/// members takes applications only for an active network in it, funding keeps fee schedules and reports per
/// known network.
/// </summary>
public sealed class NetworkCatalogueConsumer(Inbox inbox) : InboxConsumer(inbox),
    IConsumer<NetworkRegistered>, IConsumer<NetworkChanged>, IConsumer<NetworkDissolved>
{
    private static readonly VersionedCopy Catalogue = new("network_catalogue", "slug", "name", "status");

    public Task Consume(ConsumeContext<NetworkRegistered> context) =>
        ApplyOnceAsync(context, (m, tx) => CopyAsync(tx, m.Slug, m.Name, m.Status, m.Version));

    public Task Consume(ConsumeContext<NetworkChanged> context) =>
        ApplyOnceAsync(context, (m, tx) => CopyAsync(tx, m.Slug, m.Name, m.Status, m.Version));

    public Task Consume(ConsumeContext<NetworkDissolved> context) =>
        ApplyOnceAsync(context, (m, tx) => CopyAsync(tx, m.Slug, m.Name, "dissolved", m.Version));

    /// <returns>true if the version was newer than the copy and was applied.</returns>
    public static Task<bool> CopyAsync(WriteTransaction tx, string slug, string name, string status, long version) =>
        Catalogue.UpsertAsync(tx, new { Slug = slug, Name = name, Status = status, Version = version });
}
