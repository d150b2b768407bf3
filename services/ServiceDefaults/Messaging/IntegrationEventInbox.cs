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
            // Never a blind append: two messages of one stream handled at once must not both build the inline
            // projection from the same old state. The loser's commit fails, it is retried, and sees the winner's event.
            async session =>
            {
                if (await session.Events.FetchStreamStateAsync(message.SourceStreamId, context.CancellationToken) is null)
                    session.Events.StartStream(message.SourceStreamId, message);
                else
                    await session.Events.AppendOptimistic(message.SourceStreamId, context.CancellationToken, message);
            },
            context.CancellationToken,
            // The request that caused the event, across services: kept in the consumer's event metadata too.
            correlationId: context.Headers.Get<string>(Http.CorrelationIds.HeaderName));
    }
}
