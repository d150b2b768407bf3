using Coordination.Contracts;
using Coordination.Directory.Aids.Publishing;
using Coordination.Directory.Organisations.Publishing;
using Coordination.ServiceDefaults.Messaging;
using JasperFx.Events;

namespace Coordination.Directory.Publishing;

/// <summary>The Directory's one outbox mapper: organisation contracts and aid contracts, in the order the events were committed.</summary>
public sealed class DirectoryContractsMapper : IIntegrationEventMapper
{
    private readonly OrganisationContractsMapper organisations = new();

    public IReadOnlyCollection<Type> PublishedEventTypes { get; }

    public DirectoryContractsMapper() =>
        PublishedEventTypes = [.. organisations.PublishedEventTypes, .. AidContractsMapper.PublishedEventTypes];

    public async Task<IReadOnlyList<(IEvent Stored, IIntegrationEvent Contract)>> MapAsync(
        IReadOnlyList<IEvent> page, IDocumentOperations operations, CancellationToken ct)
    {
        var mapped = new List<(IEvent, IIntegrationEvent)>(page.Count);
        foreach (var stored in page)
            if ((organisations.Map(stored) ?? await AidContractsMapper.MapAsync(stored, operations, ct)) is { } contract)
                mapped.Add((stored, contract));
        return mapped;
    }
}
