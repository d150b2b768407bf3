using JasperFx;

namespace Coordination.Projects.RaisingOverdueMilestones;

/// <summary>
/// Raises <see cref="MilestoneOverdue"/> once per milestone whose due date passed without completion. Decided from the
/// streams, so a restart or a second instance never raises it twice (optimistic concurrency lets one append win).
/// </summary>
public sealed partial class MilestoneWatcher(IDocumentStore store, TimeProvider time, Microsoft.Extensions.Options.IOptions<ProjectsOptions> options,
    ILogger<MilestoneWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MilestoneCheckEvery, time);
        do
        {
            try { await CheckOnceAsync(stoppingToken); }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested) { LogFailed(logger, exception); }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> CheckOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        IReadOnlyList<Guid> candidates;
        await using (var query = store.QuerySession())
            candidates = await query.Query<Project>()
                .Where(p => p.Stage != Stage.Evaluated && p.Stage != Stage.Abandoned
                            && p.Milestones.Any(m => m.CompletedOn == null && !m.OverdueRaised && m.DueDate < today))
                .Select(p => p.Id).Take(500).ToListAsync(ct);
        var raised = 0;
        foreach (var id in candidates)
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = "system:milestones";
            var stream = await session.Events.FetchForWriting<Project>(id, ct);
            if (stream.Aggregate is null) continue;
            var events = RaiseOverdueMilestones(stream.Aggregate, today, now);
            if (events.Count == 0) continue;
            stream.AppendMany(events);
            try
            {
                await session.SaveChangesAsync(ct);
                raised += events.Count;
            }
            catch (ConcurrencyException)
            {
                // Someone changed the project meanwhile: the next pass decides again.
            }
        }
        return raised;
    }

    /// <summary>Once per milestone: the state remembers it was raised.</summary>
    public static IReadOnlyList<object> RaiseOverdueMilestones(Project project, DateOnly today, DateTimeOffset at) =>
        project.IsEnded ? [] : [.. project.Milestones.Where(m => m.CompletedOn is null && !m.OverdueRaised && m.DueDate < today)
            .Select(m => new MilestoneOverdue(project.Id, m.MilestoneId, m.DueDate, at))];

    [LoggerMessage(Level = LogLevel.Error, Message = "Milestone check failed; retrying at the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
