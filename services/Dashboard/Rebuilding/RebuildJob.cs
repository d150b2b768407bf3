namespace Coordination.Dashboard.Rebuilding;

public enum RebuildStatus { Running, Succeeded, Failed, Interrupted }

/// <summary>
/// One rebuild of every Dashboard view by replay, as its caller follows it: which view is being replayed, how far the
/// whole job is, its pace in events of the Dashboard's store per second, the estimated time left, and how it ended.
/// Stored as a document so that any instance can answer for it.
/// </summary>
public sealed record RebuildJob(
    Guid Id,
    RebuildStatus Status,
    DateTimeOffset StartedAt,
    long Events,
    int ViewsTotal,
    int ViewsDone,
    string? CurrentView,
    DateTimeOffset? FinishedAt = null,
    string? Failure = null)
{
    /// <summary>Share of the views replayed, 0 to 1.</summary>
    public double Progress => ViewsTotal == 0 ? 1 : Math.Round((double)ViewsDone / ViewsTotal, 3);

    /// <summary>The store's events replayed per second so far (every view reads the whole store).</summary>
    public double? EventsPerSecond(DateTimeOffset now) =>
        Elapsed(now).TotalSeconds is var seconds and > 0 && ViewsDone > 0
            ? Math.Round(Events * ((double)ViewsDone / ViewsTotal) / seconds)
            : null;

    /// <summary>Time left at the pace of the views already replayed; null until one is done, zero once finished.</summary>
    public double? SecondsLeft(DateTimeOffset now) => Status switch
    {
        RebuildStatus.Running when ViewsDone > 0 =>
            Math.Round(Elapsed(now).TotalSeconds / ViewsDone * (ViewsTotal - ViewsDone), 1),
        RebuildStatus.Running => null,
        _ => 0,
    };

    public TimeSpan Elapsed(DateTimeOffset now) => (FinishedAt ?? now) - StartedAt;
}

/// <summary>What <c>GET /api/dashboard/admin/rebuilds/{id}</c> answers.</summary>
public sealed record RebuildJobAnswer(
    Guid Id, string Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, long Events, int ViewsTotal, int ViewsDone,
    string? CurrentView, double Progress, double? EventsPerSecond, double? SecondsLeft, double Seconds, string? Failure)
{
    public static RebuildJobAnswer Of(RebuildJob job, DateTimeOffset now) => new(
        job.Id, job.Status.ToString().ToLowerInvariant(), job.StartedAt, job.FinishedAt, job.Events, job.ViewsTotal, job.ViewsDone,
        job.CurrentView, job.Progress, job.EventsPerSecond(now), job.SecondsLeft(now), Math.Round(job.Elapsed(now).TotalSeconds, 2), job.Failure);
}
