using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Coordination.Contracts;
using Coordination.ServiceDefaults.EventSourcing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Coordination.ServiceDefaults.Messaging;

/// <summary>
/// Keeps received integration events in batches: the messages in flight at once (many, since the endpoint takes several
/// at a time) are written in one transaction, with the same effect as <see cref="IntegrationEventInbox.Keep{T}"/> for
/// each, and each message is acknowledged to the broker only once its batch is committed.
/// <list type="bullet">
/// <item>One batch at a time per process: the read side's totals (the Dashboard's rollup trigger) would otherwise make
/// concurrent batches wait on the same rows, or deadlock on them.</item>
/// <item>Each source stream is locked (<see cref="IntegrationEventInbox.LockStreamsUntilCommit"/>) before anything is
/// read, so that another process's batch never builds an inline view from the same old state.</item>
/// <item>A message already processed, or twice in the batch, is kept once (the second gets <c>false</c>).</item>
/// <item>A batch that fails for a reason other than an outage is written again one message per transaction, so that
/// one bad message fails alone (its consumer then retries it, then parks it in the error queue).</item>
/// </list>
/// </summary>
public sealed partial class InboxWriter(IDocumentStore store, TimeProvider time, ILogger<InboxWriter> logger, IMeterFactory meters)
    : BackgroundService
{
    /// <summary>Larger batches gain little (the commit is already shared) and hold every message of the batch longer.</summary>
    public const int MaxBatch = 200;

    private readonly Channel<Pending> waiting = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Histogram<int> batchSizes = meters.Create("Coordination.Messaging")
        .CreateHistogram<int>("coordination.inbox.batch_size", "{message}", "Messages kept per transaction by the inbox writer");

    /// <summary>A class, not a record: two deliveries of one message are two waiters, told apart by reference.</summary>
    private sealed class Pending(Guid messageId, IIntegrationEvent message, string messageType, string? correlationId)
    {
        public Guid MessageId { get; } = messageId;
        public IIntegrationEvent Message { get; } = message;
        public string MessageType { get; } = messageType;
        public string? CorrelationId { get; } = correlationId;
        public TaskCompletionSource<bool> Kept { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Keep <paramref name="message"/> once per <paramref name="messageId"/>, in the next batch. True when stored, false
    /// for a duplicate; throws what its transaction threw.
    /// </summary>
    public async Task<bool> KeepAsync<T>(Guid messageId, T message, string? correlationId, CancellationToken ct)
        where T : class, IIntegrationEvent
    {
        var pending = new Pending(messageId, message, typeof(T).FullName!, correlationId);
        if (!waiting.Writer.TryWrite(pending))
            throw new OperationCanceledException("The inbox writer has stopped.");
        // The consumer may give up waiting (shutdown); the batch still commits or not as a whole, and a redelivery then
        // finds the message processed.
        return await pending.Kept.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await waiting.Reader.WaitToReadAsync(stoppingToken))
            {
                // No waiting for a batch to fill: whatever arrived while the last one was written goes in the next (waiting
                // up to 30 ms for more made batches no larger: measured, the messages reach the writer no faster).
                while (batch.Count < MaxBatch && waiting.Reader.TryRead(out var pending))
                    batch.Add(pending);
                await WriteAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            waiting.Writer.TryComplete();
            foreach (var pending in batch) pending.Kept.TrySetCanceled(stoppingToken);
            while (waiting.Reader.TryRead(out var pending)) pending.Kept.TrySetCanceled(stoppingToken);
        }
    }

    private async Task WriteAsync(List<Pending> batch, CancellationToken ct)
    {
        batchSizes.Record(batch.Count);
        try
        {
            var kept = await WriteInOneTransactionAsync(batch, ct);
            foreach (var pending in batch) pending.Kept.TrySetResult(kept.Contains(pending));
        }
        catch (Exception failure) when (batch.Count > 1 && !TransientFailures.IsTransient(failure) && !ct.IsCancellationRequested)
        {
            LogBatchSplit(logger, batch.Count, failure.GetType().Name);
            foreach (var pending in batch)
                await WriteAsync([pending], ct);
        }
        catch (Exception failure)
        {
            foreach (var pending in batch) pending.Kept.TrySetException(failure);
        }
    }

    /// <summary>Returns the messages stored (the others were duplicates).</summary>
    private async Task<HashSet<Pending>> WriteInOneTransactionAsync(List<Pending> batch, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        await IntegrationEventInbox.LockStreamsUntilCommit(session, batch.Select(pending => pending.Message.SourceStreamId), ct);

        // Read after the locks: a message another process kept meanwhile is seen as processed.
        var ids = batch.Select(pending => pending.MessageId).Distinct().ToArray();
        var processed = (await session.LoadManyAsync<ProcessedMessage>(ct, ids)).Select(message => message.Id).ToHashSet();
        var fresh = batch.Where(pending => processed.Add(pending.MessageId)).ToList();
        if (fresh.Count == 0) return [];

        var existing = await ExistingStreamsAsync(session, [.. fresh.Select(pending => pending.Message.SourceStreamId).Distinct()], ct);
        foreach (var stream in fresh.GroupBy(pending => pending.Message.SourceStreamId))
        {
            object[] events = [.. stream.Select(pending => (object)pending.Message)];
            var action = existing.Contains(stream.Key) ? session.Events.Append(stream.Key, events) : session.Events.StartStream(stream.Key, events);
            // Each event keeps the request that caused it, across services, in its metadata.
            foreach (var (stored, pending) in action.Events.Zip(stream))
                stored.CorrelationId = pending.CorrelationId;
        }
        var now = time.GetUtcNow();
        foreach (var pending in fresh)
            session.Insert(new ProcessedMessage(pending.MessageId, pending.MessageType, now));
        await session.SaveChangesAsync(ct);
        return [.. fresh];
    }

    private async Task<HashSet<Guid>> ExistingStreamsAsync(IDocumentSession session, Guid[] streamIds, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select id from {store.Options.Events.DatabaseSchemaName}.mt_streams where id = any($1)",
            session.Connection);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = streamIds });
        var existing = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) existing.Add(reader.GetGuid(0));
        return existing;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A batch of {Count} received messages failed ({Failure}); writing them one by one so that only the faulty one fails.")]
    private static partial void LogBatchSplit(ILogger logger, int count, string failure);
}

public static class InboxWriterSetup
{
    /// <summary>The batched inbox for <see cref="IntegrationEventInbox{T}"/>; register it before <c>AddMessaging</c>, so that
    /// it stops after the bus (the consumers still waiting on it get their answer).</summary>
    public static IServiceCollection AddInboxWriter(this IServiceCollection services)
    {
        services.AddSingleton<InboxWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<InboxWriter>());
        return services;
    }
}
