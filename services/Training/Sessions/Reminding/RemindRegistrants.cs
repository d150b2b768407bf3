using Coordination.Training.Sessions.GettingDetails;
using JasperFx;
using Microsoft.Extensions.Options;

namespace Coordination.Training.Sessions.Reminding;

/// <summary>
/// The reminder two days before a session: a decision on the session's own stream, so it is taken once per start date
/// across instances and restarts. Two instances scanning at once both append at the version they read: one commit wins,
/// the other fails on the version check and finds the reminder done on its next scan. A session moved later is reminded
/// again before its new date.
/// </summary>
public static class RemindRegistrants
{
    public static IReadOnlyList<object> Decide(TrainingSession state, TimeSpan remindBefore, DateTimeOffset now) =>
        state.Status is SessionStatus.Scheduled or SessionStatus.RegistrationOpen
            && state.StartsAt > now && state.StartsAt - remindBefore <= now
            && state.RemindedFor != state.StartsAt && state.Registered.Count > 0
            ? [new RegistrantsReminded(state.Id, state.StartsAt, [.. state.Registered.Select(p => p.UserId)], now)]
            : [];
}

public sealed class ReminderWatcher(
    IDocumentStore store, TimeProvider time, IOptions<TrainingOptions> options, ILogger<ReminderWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ScanOnce(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Training reminders: scan failed, retried on the next one");
            }
            await Task.Delay(options.Value.ReminderScanInterval, time, stoppingToken);
        }
    }

    /// <summary>Reminds every session due now; returns how many reminders this instance recorded.</summary>
    public async Task<int> ScanOnce(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var horizon = now + options.Value.RemindBefore;
        await using var query = store.QuerySession();
        var due = await query.Query<SessionDetails>()
            .Where(s => s.StartsAt > now && s.StartsAt <= horizon
                && (s.Status == SessionStatus.Scheduled || s.Status == SessionStatus.RegistrationOpen || s.Status == SessionStatus.Full))
            .ToListAsync(ct);
        var reminded = 0;
        foreach (var details in due.Where(d => d.RemindedFor != d.StartsAt && d.Registered.Count > 0))
        {
            await using var session = store.LightweightSession();
            var stream = await session.Events.FetchForWriting<TrainingSession>(details.Id, details.Version, ct);
            var events = stream.Aggregate is null ? [] : RemindRegistrants.Decide(stream.Aggregate, options.Value.RemindBefore, now);
            if (events.Count == 0) continue;
            stream.AppendMany(events);
            try
            {
                await session.SaveChangesAsync(ct);
                reminded++;
            }
            catch (ConcurrencyException)
            {
                // Another instance reminded it, or the session changed since the scan read it: the next scan decides again.
            }
        }
        return reminded;
    }
}
