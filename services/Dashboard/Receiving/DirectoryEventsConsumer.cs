using Coordination.Contracts.Directory;
using Coordination.ServiceDefaults.Messaging;
using Marten;
using MassTransit;

namespace Coordination.Dashboard.Receiving;

public sealed class DirectoryEventsConsumer(IDocumentStore store, TimeProvider time) :
    IConsumer<OrganisationRegistered>,
    IConsumer<OrganisationCoverageChanged>,
    IConsumer<OrganisationReferralCapacityChanged>,
    IConsumer<OrganisationDeactivated>
{
    public Task Consume(ConsumeContext<OrganisationRegistered> context) => IntegrationEventInbox.Store(store, time, context);

    public Task Consume(ConsumeContext<OrganisationCoverageChanged> context) => IntegrationEventInbox.Store(store, time, context);

    public Task Consume(ConsumeContext<OrganisationReferralCapacityChanged> context) => IntegrationEventInbox.Store(store, time, context);

    public Task Consume(ConsumeContext<OrganisationDeactivated> context) => IntegrationEventInbox.Store(store, time, context);
}
