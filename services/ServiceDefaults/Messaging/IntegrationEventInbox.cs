using Coordination.Contracts;
using Marten;
using MassTransit;

namespace Coordination.ServiceDefaults.Messaging;

/// <summary>
/// A consumer keeps what it receives as its own event streams (one per source stream), so that its views
/// can be rebuilt by replay. Each message is stored once: its id is recorded in the same transaction.
/// </summary>
public static class IntegrationEventInbox
{
    public static async Task Store<T>(IDocumentStore store, TimeProvider time, ConsumeContext<T> context) where T : class, IIntegrationEvent
    {
        // Our publisher always sets it (the Marten event id); a message without one cannot be deduplicated.
        var messageId = context.MessageId
            ?? throw new PoisonMessage($"{typeof(T).Name} received without a message id: refused (cannot be deduplicated).");
        var message = context.Message;
        await store.ProcessOnce(messageId, typeof(T).FullName!, time,
            session => session.Events.Append(message.SourceStreamId, message), context.CancellationToken,
            // The request that caused the event, across services: kept in the consumer's event metadata too.
            correlationId: context.Headers.Get<string>(Http.CorrelationIds.HeaderName));
    }
}
