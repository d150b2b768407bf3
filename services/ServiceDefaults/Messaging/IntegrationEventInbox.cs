using Coordination.Contracts;
using JasperFx;
using Marten;
using MassTransit;

namespace Coordination.ServiceDefaults.Messaging;

/// <summary>
/// A consumer keeps what it receives as its own event streams (one per source stream), so that its views
/// can be rebuilt by replay. Delivery is at least once; effects must be exactly once: each message id is
/// recorded (<see cref="ProcessedMessage"/>) in the same transaction as its effect, so a second delivery
/// finds it and does nothing.
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

    /// <summary>
    /// Run <paramref name="effect"/> and record <paramref name="messageId"/> in one transaction, unless the
    /// message was already processed. Returns false for a duplicate (including one racing on another consumer).
    /// </summary>
    public static async Task<bool> ProcessOnce(
        this IDocumentStore store, Guid messageId, string messageType, TimeProvider time,
        Func<IDocumentSession, Task> effect, CancellationToken ct, string? correlationId = null)
    {
        await using var session = store.LightweightSession();
        session.CorrelationId = correlationId;
        if (await session.LoadAsync<ProcessedMessage>(messageId, ct) is not null)
            return false;
        await effect(session);
        session.Insert(new ProcessedMessage(messageId, messageType, time.GetUtcNow()));
        try
        {
            await session.SaveChangesAsync(ct);
            return true;
        }
        catch (DocumentAlreadyExistsException)
        {
            return false;
        }
    }
}

/// <summary>
/// The one consumer of a service that keeps integration events as its own streams: registered once per stored
/// contract type (see the Dashboard's <c>StoredContracts</c>), never written by hand per type.
/// </summary>
public sealed class IntegrationEventInbox<T>(IDocumentStore store, TimeProvider time) : IConsumer<T> where T : class, IIntegrationEvent
{
    public Task Consume(ConsumeContext<T> context) => IntegrationEventInbox.Store(store, time, context);
}
