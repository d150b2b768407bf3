using Coordination.Contracts.Training;
using Coordination.ServiceDefaults.Messaging;
using Marten;
using MassTransit;

namespace Coordination.Dashboard.Receiving;

/// <summary>Training activity, kept as the Dashboard's own streams (one per session or intervention) for the indicators.</summary>
public sealed class TrainingEventsConsumer(IDocumentStore store, TimeProvider time) :
    IConsumer<TrainingSessionScheduled>, IConsumer<TrainingRegistrationsChanged>, IConsumer<TrainingSessionHeld>,
    IConsumer<TrainingEvaluationSubmitted>, IConsumer<TrainingSessionCancelled>, IConsumer<JointInterventionRecorded>
{
    public Task Consume(ConsumeContext<TrainingSessionScheduled> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<TrainingRegistrationsChanged> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<TrainingSessionHeld> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<TrainingEvaluationSubmitted> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<TrainingSessionCancelled> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<JointInterventionRecorded> context) => IntegrationEventInbox.Store(store, time, context);
}
