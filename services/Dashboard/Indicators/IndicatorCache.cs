using System.Collections.Concurrent;
using Coordination.Dashboard.Live;

namespace Coordination.Dashboard.Indicators;

/// <summary>
/// A computed view is valid until the Dashboard stores a new event (the change feed's sequence moves) or, because
/// "overdue now" and waiting lists depend on the clock, for at most <see cref="MaxAge"/>. National dashboards are
/// read far more often than hand-offs happen, so most reads are served from here; the first read after a change
/// pays the query (both figures are in docs/benchmarks). A request with <c>Cache-Control: no-cache</c> is always
/// computed afresh.
/// </summary>
public sealed class IndicatorCache(DashboardChangeFeed feed, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);
    private const int MaxEntries = 2_000;
    private readonly ConcurrentDictionary<string, Entry> entries = new();

    private sealed record Entry(long Sequence, DateTimeOffset ComputedAt, object Answer);

    /// <summary>After a rebuild the views are recomputed from the rebuilt read models, with no event stored meanwhile.</summary>
    public void Clear() => entries.Clear();

    /// <summary>The answer of <paramref name="view"/> to this query (any immutable record: a view, the activity chart).</summary>
    public Task<T> GetOrCompute<T>(string view, IndicatorQuery query, Func<Task<T>> compute) where T : class =>
        GetOrCompute($"{view}|{query.Scope}|{query.Suppress}|{query.Period}|{query.From:O}|{query.To:O}|{query.Departement}|{query.Organisation}|{query.Network}",
            query.Fresh, compute);

    /// <summary>
    /// The answer kept under <paramref name="key"/> (the view and everything that changes its figures; never who asked when
    /// two people may see different figures), computed afresh when <paramref name="fresh"/>.
    /// </summary>
    public async Task<T> GetOrCompute<T>(string key, bool fresh, Func<Task<T>> compute) where T : class
    {
        if (fresh) return await compute();
        var sequence = feed.Latest?.Sequence ?? -1;
        var now = time.GetUtcNow();
        if (sequence >= 0 && entries.TryGetValue(key, out var entry) && entry.Sequence == sequence && now - entry.ComputedAt < MaxAge
            && entry.Answer is T answer)
            return answer;
        var computed = await compute();
        if (sequence < 0) return computed; // the feed has not read the store yet: nothing to key on
        if (entries.Count >= MaxEntries) entries.Clear();
        entries[key] = new Entry(sequence, now, computed);
        return computed;
    }
}
