using System.Diagnostics;

namespace Coordination.Benchmarks;

/// <summary>Exact percentiles (nearest rank) over every recorded sample, in milliseconds.</summary>
public sealed record LatencyStats(int Count, double MinMs, double P50Ms, double P90Ms, double P99Ms, double MaxMs, double MeanMs)
{
    public static readonly LatencyStats Empty = new(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>From Stopwatch tick durations; sorts <paramref name="ticks"/> in place.</summary>
    public static LatencyStats FromTicks(long[] ticks)
    {
        if (ticks.Length == 0) return Empty;
        Array.Sort(ticks);
        double Ms(long t) => t * 1000.0 / Stopwatch.Frequency;
        double sum = 0;
        foreach (var t in ticks) sum += t;
        return new LatencyStats(ticks.Length, Ms(ticks[0]), Ms(Rank(ticks, 50)), Ms(Rank(ticks, 90)), Ms(Rank(ticks, 99)),
            Ms(ticks[^1]), sum / ticks.Length * 1000.0 / Stopwatch.Frequency);
    }

    /// <summary>From durations in milliseconds (e.g. between two wall-clock readings).</summary>
    public static LatencyStats FromMilliseconds(IEnumerable<double> milliseconds) =>
        FromTicks([.. milliseconds.Select(ms => (long)Math.Round(ms * Stopwatch.Frequency / 1000.0))]);

    /// <summary>Nearest-rank percentile: the smallest sample with at least p% of the samples at or below it.</summary>
    private static long Rank(long[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
