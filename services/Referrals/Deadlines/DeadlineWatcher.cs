using Coordination.Referrals.GettingDetails;
using JasperFx;
using Microsoft.Extensions.Options;

namespace Coordination.Referrals.Deadlines;

public sealed record RaiseOverdue(DateTimeOffset Now);

public sealed record ExpireReferral(DateTimeOffset Now);

public static class DeadlineDecisions
{
    /// <summary>Once per referral: the state remembers it was raised, so restarts and other instances add nothing.</summary>
    public static IReadOnlyList<object> Decide(RaiseOverdue command, Referral state) =>
        state is { Status: ReferralStatus.Sent, OverdueRaised: false, AcknowledgeBy: { } deadline } && deadline <= command.Now
            ? [new ReferralOverdue(state.Id, deadline, command.Now)]
            : [];

    public static IReadOnlyList<object> Decide(ExpireReferral command, Referral state) =>
        state is { Status: ReferralStatus.Sent or ReferralStatus.Acknowledged, ExpiresAt: { } expiresAt } && expiresAt <= command.Now
            ? [new ReferralExpired(state.Id, command.Now)]
            : [];
}

/// <summary>
/// Raises <c>ReferralOverdue</c> when an acknowledgement deadline passes and expires referrals left unanswered.
/// Everything it decides is derived from the event streams, so a restart neither loses nor repeats anything; with
/// several instances, optimistic concurrency lets exactly one append win.
/// </summary>
public sealed partial class DeadlineWatcher(
    IDocumentStore store, TimeProvider time, IOptions<DeadlineOptions> options, ILogger<DeadlineWatcher> logger) : BackgroundService
{
    private const int BatchSize = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckEvery, time);
        do
        {
            try
            {
                await CheckOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogCheckFailed(logger, exception);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass over the passed deadlines; returns how many events it appended.</summary>
    public async Task<int> CheckOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        IReadOnlyList<Guid> overdue, expired;
        await using (var query = store.QuerySession())
        {
            overdue = await query.Query<ReferralDetails>()
                .Where(r => r.Status == ReferralStatus.Sent && !r.Overdue && r.AcknowledgeBy <= now)
                .Select(r => r.Id).Take(BatchSize).ToListAsync(ct);
            expired = await query.Query<ReferralDetails>()
                .Where(r => (r.Status == ReferralStatus.Sent || r.Status == ReferralStatus.Acknowledged) && r.ExpiresAt <= now)
                .Select(r => r.Id).Take(BatchSize).ToListAsync(ct);
        }
        var appended = 0;
        foreach (var id in overdue)
            appended += await Apply(id, state => DeadlineDecisions.Decide(new RaiseOverdue(now), state), ct);
        foreach (var id in expired)
            appended += await Apply(id, state => DeadlineDecisions.Decide(new ExpireReferral(now), state), ct);
        return appended;
    }

    private async Task<int> Apply(Guid id, Func<Referral, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.LastModifiedBy = "system:deadlines";
        var stream = await session.Events.FetchForWriting<Referral>(id, ct);
        if (stream.Aggregate is null) return 0;
        var events = decide(stream.Aggregate);
        if (events.Count == 0) return 0;
        stream.AppendMany(events);
        try
        {
            await session.SaveChangesAsync(ct);
            return events.Count;
        }
        catch (ConcurrencyException)
        {
            return 0; // someone acted on it (or another instance raised it) meanwhile: next pass re-decides
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Deadline check failed; retrying at the next tick")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
