using Marten;
using JasperFx;

namespace Coordination.ServiceDefaults.Messaging;

/// <summary>
/// Delivery is at least once; effects must be exactly once. A consumer records the message id in the
/// same transaction as its effect: a second delivery finds it and does nothing.
/// </summary>
public sealed record ProcessedMessage(Guid Id, string MessageType, DateTimeOffset ProcessedAt);

public static class Inbox
{
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
