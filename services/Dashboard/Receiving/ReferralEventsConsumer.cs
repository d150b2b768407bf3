using Coordination.Contracts.Referrals;
using Coordination.ServiceDefaults.Messaging;
using Marten;
using MassTransit;

namespace Coordination.Dashboard.Receiving;

/// <summary>Every referral transition, kept as the Dashboard's own streams (one per referral) for the indicators to come.</summary>
public sealed class ReferralEventsConsumer(IDocumentStore store, TimeProvider time) :
    IConsumer<ReferralSent>, IConsumer<ReferralAcknowledged>, IConsumer<ReferralPutOnHold>, IConsumer<ReferralResumed>,
    IConsumer<ReferralAccepted>, IConsumer<ReferralDeclined>, IConsumer<ReferralRedirected>, IConsumer<ReferralFirstContactRecorded>,
    IConsumer<ReferralCompleted>, IConsumer<ReferralWithdrawn>, IConsumer<ReferralExpired>, IConsumer<ReferralOverdue>,
    IConsumer<ReferralEnteredInError>
{
    public Task Consume(ConsumeContext<ReferralSent> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<ReferralAcknowledged> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<ReferralPutOnHold> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<ReferralResumed> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<ReferralAccepted> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<ReferralDeclined> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<ReferralRedirected> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<ReferralFirstContactRecorded> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<ReferralCompleted> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<ReferralWithdrawn> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<ReferralExpired> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<ReferralOverdue> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<ReferralEnteredInError> context) => IntegrationEventInbox.Store(store, time, context);
}
