using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Coordination.ServiceDefaults.Messaging;

/// <summary>
/// How long the inbox remembers a processed message id (<c>Messaging:ProcessedMessages</c>). A record only matters
/// while the same message can still arrive again: the broker's retries end within minutes
/// (<see cref="EventSourcing.TransientFailures"/> and the exponential policy of <see cref="MessagingSetup"/>), the outbox
/// re-sends at most the page it was publishing when it crashed, and a message parked in an <c>_error</c> queue waits
/// for an operator whom <c>/health</c> alerts at once. <see cref="KeepFor"/> leaves a month for that operator,
/// holidays included; past it the record is only a trace of when a message was processed (docs/privacy.md).
/// </summary>
public sealed class ProcessedMessageRetention
{
    public const string Section = "Messaging:ProcessedMessages";

    public TimeSpan KeepFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A pass reads the whole table (no index on the time: every ingested message would pay for one).</summary>
    public TimeSpan PurgeEvery { get; set; } = TimeSpan.FromHours(6);
}

/// <summary>
/// Deletes the <see cref="ProcessedMessage"/> records older than <see cref="ProcessedMessageRetention.KeepFor"/>, every
/// <see cref="ProcessedMessageRetention.PurgeEvery"/>. With several instances a pass runs under a PostgreSQL session
/// advisory lock on the service's database, as the Referrals' retention watcher does: an instance that does not get
/// it skips the pass. Two overlapping passes would only delete the same rows, but one is enough.
/// </summary>
public sealed partial class ProcessedMessagePurge(
    IDocumentStore store, TimeProvider time, IOptions<ProcessedMessageRetention> options, ILogger<ProcessedMessagePurge> logger)
    : BackgroundService
{
    /// <summary>"inbox purge" — the same number on every instance of a service.</summary>
    public const long AdvisoryLockId = 0x494E_424F_5850_5247;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PurgeEvery, time);
        do
        {
            try
            {
                if (await RunOnceAsync(stoppingToken) is { } before)
                    LogPurged(logger, before);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Housekeeping: the next pass tries again; the inbox works the same meanwhile.
                LogPurgeFailed(logger, exception.GetType().Name);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// One pass: returns the cut-off it purged before, or null when another instance holds the lock (this one then
    /// does nothing).
    /// </summary>
    public async Task<DateTimeOffset?> RunOnceAsync(CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        if (!await AdvisoryLock(connection, "SELECT pg_try_advisory_lock(@id)", ct))
            return null;
        try
        {
            var before = time.GetUtcNow() - options.Value.KeepFor;
            await using var session = store.LightweightSession();
            session.DeleteWhere<ProcessedMessage>(message => message.ProcessedAt < before);
            await session.SaveChangesAsync(ct);
            return before;
        }
        finally
        {
            await AdvisoryLock(connection, "SELECT pg_advisory_unlock(@id)", CancellationToken.None);
        }
    }

    private static async Task<bool> AdvisoryLock(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", AdvisoryLockId);
        return await command.ExecuteScalarAsync(ct) is true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Processed-message records older than {Before} purged")]
    private static partial void LogPurged(ILogger logger, DateTimeOffset before);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging processed-message records failed ({Failure}); next pass later")]
    private static partial void LogPurgeFailed(ILogger logger, string failure);
}
