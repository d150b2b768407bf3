using System.Diagnostics;

namespace Coordination.Benchmarks;

/// <summary>One load level's result. Rate counts only 201 answers; latency percentiles are over 201 answers.</summary>
public sealed record LoadResult(
    string Target, string Mode, int Clients, double OfferedRate, double DurationSeconds, int Requests, int Created,
    int Errors, Dictionary<string, int> ErrorsByKind, double CreatedPerSecond, LatencyStats Latency,
    double LastAnswerAfterWindowMs, int PeakInFlight, PhaseSystemSample? System,
    long? OutboxBacklogAtEnd = null, double? OutboxDrainSeconds = null, LatencyStats? DispatchLag = null, LatencyStats? FromActualStart = null,
    DateTimeOffset? WindowStart = null, DateTimeOffset? WindowEnd = null, long? EventsAppended = null,
    long? DashboardBacklogAtEnd = null, double? DashboardDrainSeconds = null, double? DashboardStoredPerSecond = null)
{
    /// <summary>Events the service appended to its store during the measured window, per second.</summary>
    public double? EventsPerSecond => EventsAppended is { } n && WindowStart is { } from && WindowEnd is { } to && to > from
        ? n / (to - from).TotalSeconds : null;
}

public static class SendLoad
{
    private readonly record struct Sample(long Ticks, Outcome Outcome);

    /// <summary>
    /// Closed loop: <paramref name="clients"/> workers, each sending the next request as soon as the previous one
    /// is answered. Requests started during the warm-up are not recorded; workers stop starting requests at
    /// the end of the measured window. Latency: from just before SendAsync to the full answer read. Rate: 201s among
    /// the requests started in the window, per second of the window.
    /// </summary>
    public static async Task<LoadResult> ClosedLoopAsync(
        PlatformClient client, Uri target, string targetName, int clients, BenchOptions options, CancellationToken ct)
    {
        var wallStart = DateTimeOffset.UtcNow;
        var start = Stopwatch.GetTimestamp();
        var measureStart = start + Ticks(options.WarmupSeconds);
        var measureEnd = measureStart + Ticks(options.DurationSeconds);
        var inFlight = 0;
        var peak = 0;
        using var sampler = new SystemSampler(options);

        async Task<List<Sample>> Worker()
        {
            var samples = new List<Sample>(1024);
            var sampling = false;
            while (!ct.IsCancellationRequested)
            {
                var t0 = Stopwatch.GetTimestamp();
                if (t0 >= measureEnd) break;
                if (!sampling && t0 >= measureStart)
                {
                    sampling = true;
                    sampler.StartOnce();
                }
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref peak, now);
                var (outcome, _) = await client.SendAsync(target, readId: false, ct);
                Interlocked.Decrement(ref inFlight);
                var t1 = Stopwatch.GetTimestamp();
                if (t0 >= measureStart) samples.Add(new Sample(t1 - t0, outcome));
            }
            return samples;
        }

        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(Worker, ct)).ToArray();
        var results = await Task.WhenAll(workers);
        var system = await sampler.StopAsync();
        var lastAnswer = Stopwatch.GetTimestamp();
        var all = results.SelectMany(r => r).ToList();
        return Summarise(targetName, "closed loop", clients, 0, options.DurationSeconds, all,
            createdInWindow: all.Count(s => s.Outcome.IsCreated), Math.Max(0, Ms(lastAnswer - measureEnd)), peak, system) with
        {
            WindowStart = wallStart.AddSeconds(options.WarmupSeconds),
            WindowEnd = wallStart.AddSeconds(options.WarmupSeconds + options.DurationSeconds),
        };
    }

    /// <summary>
    /// Open loop: request i is due at start + i/rate whatever happened to the earlier ones (no coordinated
    /// omission). Latency runs from the scheduled time, so time spent waiting behind a late dispatcher or a
    /// busy connection pool counts. Rate: 201 answers to the requests scheduled in the window, per second of the
    /// time from the window's start until the last of them was answered.
    /// </summary>
    public static async Task<LoadResult> FixedRateAsync(
        PlatformClient client, Uri target, string targetName, double rate, BenchOptions options, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp() + Ticks(0.01);
        var measureStart = start + Ticks(options.WarmupSeconds);
        var measureEnd = measureStart + Ticks(options.DurationSeconds);
        var total = (long)Math.Floor((options.WarmupSeconds + options.DurationSeconds) * rate);
        var interval = Stopwatch.Frequency / rate;
        var inFlight = 0;
        var peak = 0;
        var tasks = new List<Task<(long Scheduled, long Started, long Done, Outcome Outcome)>>((int)Math.Min(total, 1_000_000));
        using var sampler = new SystemSampler(options);

        async Task<(long, long, long, Outcome)> Fire(long scheduled)
        {
            var started = Stopwatch.GetTimestamp();
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            var (outcome, _) = await client.SendAsync(target, readId: false, ct);
            Interlocked.Decrement(ref inFlight);
            return (scheduled, started, Stopwatch.GetTimestamp(), outcome);
        }

        long i = 0;
        var sampling = false;
        while (i < total && !ct.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            // Everything due by now goes out at once (the dispatcher may have slept past several slots).
            while (i < total && start + (long)(i * interval) <= now)
            {
                var scheduled = start + (long)(i * interval);
                if (!sampling && scheduled >= measureStart)
                {
                    sampling = true;
                    sampler.StartOnce();
                }
                tasks.Add(Fire(scheduled));
                i++;
            }
            if (i >= total) break;
            var wait = start + (long)(i * interval) - Stopwatch.GetTimestamp();
            if (wait > 0)
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(Ms(wait)))), ct);
        }
        var done = await Task.WhenAll(tasks);
        var system = await sampler.StopAsync();
        var measured = done.Where(d => d.Scheduled >= measureStart && d.Scheduled < measureEnd)
            .Select(d => new Sample(d.Done - d.Scheduled, d.Outcome)).ToList();
        // Achieved rate: 201s among the requests scheduled in the window, over the time from the window's start to the
        // last of their answers (never shorter than the window): a platform that falls behind shows a lower rate.
        var windowDone = done.Where(d => d.Scheduled >= measureStart && d.Scheduled < measureEnd).ToList();
        var lastAnswer = windowDone.Count == 0 ? measureEnd : windowDone.Max(d => d.Done);
        var elapsed = Math.Max(options.DurationSeconds, (lastAnswer - measureStart) / (double)Stopwatch.Frequency);
        // Apart, for reading the result: how late the load generator itself fired, and the latency from the actual start.
        var lag = LatencyStats.FromTicks([.. windowDone.Select(d => d.Started - d.Scheduled)]);
        var fromStart = LatencyStats.FromTicks([.. windowDone.Where(d => d.Outcome.IsCreated).Select(d => d.Done - d.Started)]);
        return Summarise(targetName, "fixed rate", 0, rate, elapsed, measured, measured.Count(m => m.Outcome.IsCreated),
            Math.Max(0, Ms(lastAnswer - measureEnd)), peak, system) with
        {
            DurationSeconds = options.DurationSeconds,
            DispatchLag = lag,
            FromActualStart = fromStart,
        };
    }

    private static LoadResult Summarise(string target, string mode, int clients, double offered, double seconds, List<Sample> samples,
        int createdInWindow, double lastAnswerAfterWindowMs, int peak, PhaseSystemSample? system)
    {
        var created = samples.Where(s => s.Outcome.IsCreated).Select(s => s.Ticks).ToArray();
        var errors = samples.Where(s => !s.Outcome.IsCreated)
            .GroupBy(s => s.Outcome.Status == 0 ? s.Outcome.Error ?? "no answer" : $"HTTP {s.Outcome.Status}")
            .ToDictionary(g => g.Key, g => g.Count());
        return new LoadResult(target, mode, clients, offered, seconds, samples.Count, created.Length, samples.Count - created.Length,
            errors, createdInWindow / seconds, LatencyStats.FromTicks(created), lastAnswerAfterWindowMs, peak, system);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current) return;
            current = seen;
        }
    }

    public static long Ticks(double seconds) => (long)(seconds * Stopwatch.Frequency);

    public static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
