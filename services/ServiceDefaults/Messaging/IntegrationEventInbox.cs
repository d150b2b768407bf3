using Coordination.Contracts;
using JasperFx;
using Marten;
using MassTransit;
using Npgsql;

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
        await Keep(store, time, MessageIdOf(context), context.Message, context.CancellationToken, CorrelationIdOf(context));
    }

    /// <summary>Our publisher always sets it (the Marten event id); a message without one cannot be deduplicated.</summary>
    public static Guid MessageIdOf<T>(ConsumeContext<T> context) where T : class => context.MessageId
        ?? throw new PoisonMessage($"{typeof(T).Name} received without a message id: refused (cannot be deduplicated).");

    /// <summary>The request that caused the event, across services: kept in the consumer's event metadata too.</summary>
    public static string? CorrelationIdOf(ConsumeContext context) => context.Headers.Get<string>(Http.CorrelationIds.HeaderName);

    /// <summary>
    /// Append <paramref name="message"/> to this service's stream of its source (starting it if need be), once per
    /// <paramref name="messageId"/>. Returns false for a duplicate.
    /// </summary>
    public static Task<bool> Keep<T>(IDocumentStore store, TimeProvider time, Guid messageId, T message, CancellationToken ct,
        string? correlationId = null) where T : class, IIntegrationEvent =>
        store.ProcessOnce(messageId, typeof(T).FullName!, time,
            async session =>
            {
                // One writer per source stream at a time. Two messages of one stream handled at once (an account's
                // activation and its address, published together) would otherwise both see no stream and both start
                // it (ExistingStreamIdCollisionException), or both build the inline projection from the same old state;
                // the loser's retry then succeeded, noisily. The lock ends with the transaction.
                await session.LockStreamUntilCommit(message.SourceStreamId, ct);
                if (await session.Events.FetchStreamStateAsync(message.SourceStreamId, ct) is null)
                    session.Events.StartStream(message.SourceStreamId, message);
                else
                    await session.Events.AppendOptimistic(message.SourceStreamId, ct, message);
            },
            ct, correlationId);

    /// <summary>
    /// A transaction-scoped advisory lock on <paramref name="streamId"/>, in a key space of its own (the two-integer
    /// form, which never meets the one-bigint keys Marten's daemon uses). Opens the session's transaction, so that every
    /// read after it sees what the previous holder committed.
    /// </summary>
    private static Task LockStreamUntilCommit(this IDocumentSession session, Guid streamId, CancellationToken ct) =>
        LockStreamsUntilCommit(session, [streamId], ct);

    /// <summary>
    /// The same for several streams (a batch, <see cref="InboxWriter"/>), in one round trip. Taken in key order, so that
    /// two batches sharing streams wait for each other instead of deadlocking.
    /// </summary>
    internal static async Task LockStreamsUntilCommit(IDocumentSession session, IEnumerable<Guid> streamIds, CancellationToken ct)
    {
        const int InboxStreams = 0x1b0c;
        await session.BeginTransactionAsync(ct);
        await using var locks = new NpgsqlBatch(session.Connection);
        foreach (var key in streamIds.Select(LockKey).Distinct().Order())
        {
            var command = new NpgsqlBatchCommand("select pg_advisory_xact_lock($1, $2)");
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = InboxStreams });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = key });
            locks.BatchCommands.Add(command);
        }
        await locks.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The same in every process (unlike a hash code, which .NET does not promise across runs). Two streams sharing a
    /// key only wait for each other: never wrong, rarely slower.
    /// </summary>
    private static int LockKey(Guid streamId)
    {
        Span<byte> bytes = stackalloc byte[16];
        streamId.TryWriteBytes(bytes);
        return BitConverter.ToInt32(bytes[..4]) ^ BitConverter.ToInt32(bytes[4..8]) ^ BitConverter.ToInt32(bytes[8..12]) ^ BitConverter.ToInt32(bytes[12..]);
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
/// contract type (see the Dashboard's <c>StoredContracts</c>), never written by hand per type. The messages in flight
/// at once are kept in one transaction (<see cref="InboxWriter"/>).
/// </summary>
public sealed class IntegrationEventInbox<T>(InboxWriter writer) : IConsumer<T> where T : class, IIntegrationEvent
{
    public Task Consume(ConsumeContext<T> context) => writer.KeepAsync(IntegrationEventInbox.MessageIdOf(context), context.Message,
        IntegrationEventInbox.CorrelationIdOf(context), context.CancellationToken);
}
