using Coordination.Contracts.Projects;
using Coordination.ServiceDefaults.Messaging;
using Marten;
using MassTransit;

namespace Coordination.Dashboard.Receiving;

/// <summary>Project activity, kept as the Dashboard's own streams (one per project or support request) for the indicators.</summary>
public sealed class ProjectEventsConsumer(IDocumentStore store, TimeProvider time) :
    IConsumer<ProjectStageChanged>, IConsumer<ProjectFundingLineChanged>, IConsumer<ProjectMilestoneOverdue>,
    IConsumer<SupportRequestOpened>, IConsumer<SupportRequestAnswered>, IConsumer<SupportRequestClosed>
{
    public Task Consume(ConsumeContext<ProjectStageChanged> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<ProjectFundingLineChanged> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<ProjectMilestoneOverdue> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<SupportRequestOpened> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<SupportRequestAnswered> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<SupportRequestClosed> context) => IntegrationEventInbox.Store(store, time, context);
}
