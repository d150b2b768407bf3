using Coordination.Dashboard.Apis;
using Coordination.Dashboard.Indicators;
using Coordination.Dashboard.Referrals;
using JasperFx.Events.Daemon;
using Marten;
using Npgsql;

namespace Coordination.Dashboard.Rebuilding;

/// <summary>
/// Runs a rebuild in the background of the instance that was asked, never inside a request (a national rebuild takes
/// minutes, longer than any proxy's timeout). One at a time across instances: the job holds a PostgreSQL advisory lock
/// on its own connection for its whole run; a second request gets the running job instead of starting another.
/// </summary>
public sealed partial class RebuildRunner(
    IDocumentStore store, IProjectionCoordinator coordinator, IndicatorCache cache, NpgsqlDataSource db, TimeProvider time,
    IHostApplicationLifetime lifetime, ILogger<RebuildRunner> logger)
{
    private const long LockKey = 0x44617368_52656231; // "DashReb1"

    /// <summary>
    /// Starts a rebuild, or returns the one already running (here or on another instance); null only when the lock
    /// stays held with no job running on record (a run between acquiring the lock and recording its job, or between
    /// recording its result and releasing the lock, is waited out: both last milliseconds).
    /// </summary>
    public async Task<RebuildJob?> StartOrGetRunningAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await TryStartOrGetRunningAsync(ct) is { } job)
                return job;
            if (attempt == 20)
                return null;
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, ct);
        }
    }

    private async Task<RebuildJob?> TryStartOrGetRunningAsync(CancellationToken ct)
    {
        var connection = await db.OpenConnectionAsync(ct);
        try
        {
            await using var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            tryLock.Parameters.AddWithValue("key", LockKey);
            if (await tryLock.ExecuteScalarAsync(ct) is not true)
            {
                await connection.DisposeAsync();
                return await RunningJobAsync(ct);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        var events = await CountEventsAsync(ct);
        var job = new RebuildJob(Guid.CreateVersion7(), RebuildStatus.Running, time.GetUtcNow(), events, RebuildApi.Projections.Length, 0,
            RebuildApi.Projections[0].Name);
        await SaveAsync(job, ct);
        // The connection (and with it the lock) is the background run's from here on.
        _ = Task.Run(() => RunAsync(job, connection, lifetime.ApplicationStopping), CancellationToken.None);
        return job;
    }

    /// <summary>
    /// A job, with a run that died with its instance (lock free, still marked running) shown as interrupted. The lock is
    /// looked at before the job is read: a run saves its result before it lets go of the lock, so a free lock then a
    /// "running" record means a dead run; read the other way round, a run ending between the two reads looked dead.
    /// </summary>
    public async Task<RebuildJob?> FindAsync(Guid id, CancellationToken ct)
    {
        var running = await LockHeldAsync(ct);
        await using var session = store.QuerySession();
        var job = await session.LoadAsync<RebuildJob>(id, ct);
        if (job is not { Status: RebuildStatus.Running } || running)
            return job;
        return job with { Status = RebuildStatus.Interrupted, FinishedAt = job.FinishedAt ?? time.GetUtcNow() };
    }

    private async Task RunAsync(RebuildJob job, NpgsqlConnection connection, CancellationToken stopping)
    {
        await using var _ = connection;
        await using var __ = new Unlock(connection);
        var daemon = coordinator.DaemonForMainDatabase();
        try
        {
            // The monthly totals are recounted once at the end rather than kept row by row during the replay.
            await ReferralMonthRollup.SuspendAsync(db, stopping);
            try
            {
                foreach (var projection in RebuildApi.Projections)
                {
                    job = job with { CurrentView = projection.Name };
                    await SaveAsync(job, stopping);
                    await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(30), stopping);
                    job = job with { ViewsDone = job.ViewsDone + 1 };
                }
            }
            finally
            {
                await ReferralMonthRollup.ResumeAsync(db, CancellationToken.None);
                cache.Clear();
            }
            job = job with { Status = RebuildStatus.Succeeded, CurrentView = null, FinishedAt = time.GetUtcNow() };
            LogFinished(logger, job.Events, job.Elapsed(time.GetUtcNow()).TotalSeconds);
        }
        catch (Exception exception)
        {
            var interrupted = stopping.IsCancellationRequested;
            job = job with
            {
                Status = interrupted ? RebuildStatus.Interrupted : RebuildStatus.Failed,
                FinishedAt = time.GetUtcNow(),
                Failure = exception.GetType().Name,
            };
            LogFailed(logger, job.CurrentView, exception);
        }
        await SaveAsync(job, CancellationToken.None);
    }

    /// <summary>Releases the lock explicitly: a pooled connection keeps its session (and its locks) when closed.</summary>
    private sealed class Unlock(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            command.Parameters.AddWithValue("key", LockKey);
            await command.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    private async Task SaveAsync(RebuildJob job, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Store(job);
        await session.SaveChangesAsync(ct);
    }

    private async Task<RebuildJob?> RunningJobAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<RebuildJob>().Where(j => j.Status == RebuildStatus.Running)
            .OrderByDescending(j => j.StartedAt).FirstOrDefaultAsync(ct);
    }

    private async Task<bool> LockHeldAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted " +
            "AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = @key)");
        command.Parameters.AddWithValue("key", LockKey);
        return await command.ExecuteScalarAsync(ct) is true;
    }

    private async Task<long> CountEventsAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand($"SELECT count(*) FROM {DashboardServiceExtensions.SchemaName}.mt_events");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard rebuilt by replay: {Events} events in {Seconds:F1} s")]
    private static partial void LogFinished(ILogger logger, long events, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dashboard rebuild stopped while replaying {View}")]
    private static partial void LogFailed(ILogger logger, string? view, Exception exception);
}
