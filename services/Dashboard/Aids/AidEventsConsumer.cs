using Coordination.Contracts.Directory;
using Coordination.ServiceDefaults.Messaging;
using Marten;
using MassTransit;

namespace Coordination.Dashboard.Aids;

/// <summary>The guide of aids' contracts, stored as the Dashboard's own streams (exactly once, like every other contract).</summary>
public sealed class AidEventsConsumer(IDocumentStore store, TimeProvider time) :
    IConsumer<AidPublished>,
    IConsumer<AidChanged>,
    IConsumer<AidVerified>,
    IConsumer<AidWithdrawn>
{
    public Task Consume(ConsumeContext<AidPublished> context) => IntegrationEventInbox.Store(store, time, context);

    public Task Consume(ConsumeContext<AidChanged> context) => IntegrationEventInbox.Store(store, time, context);

    public Task Consume(ConsumeContext<AidVerified> context) => IntegrationEventInbox.Store(store, time, context);

    public Task Consume(ConsumeContext<AidWithdrawn> context) => IntegrationEventInbox.Store(store, time, context);
}
