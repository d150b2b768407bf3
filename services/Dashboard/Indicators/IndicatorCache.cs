using System.Collections.Concurrent;
using System.ComponentModel;
using Coordination.Dashboard.Live;
using Microsoft.Extensions.Caching.Hybrid;

namespace Coordination.Dashboard.Indicators;

/// <summary>
/// A computed view is valid until the Dashboard stores a new event (the change feed's sequence moves) or, because
/// "overdue now" and waiting lists depend on the clock, for at most <see cref="MaxAge"/>. National dashboards are
/// read far more often than hand-offs happen, so most reads are served from here; the first read after a change
/// pays the query (both figures are in docs/benchmarks). A request with <c>Cache-Control: no-cache</c> is always
/// computed afresh.
/// <para>
/// Kept in <see cref="HybridCache"/> (in memory; no distributed tier) for its stampede protection: a change makes every
/// open dashboard re-read at once (the live feed tells them all within the same second), and all the readers of one view
/// then wait for a single computation instead of each running the query. The key holds the change feed's sequence, so a
/// new event makes new keys; the answer of the sequence before is removed when the newer one is stored.
/// </para>
/// </summary>
public sealed class IndicatorCache(HybridCache cache, DashboardChangeFeed feed)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    private static readonly HybridCacheEntryOptions Entry = new()
    {
        Expiration = MaxAge,
        LocalCacheExpiration = MaxAge,
        Flags = HybridCacheEntryFlags.DisableDistributedCache,
    };

    /// <summary>The newest stored key of each view, removed from the cache when a newer one replaces it.</summary>
    private readonly ConcurrentDictionary<string, Stored> newest = new();

    private readonly record struct Stored(string Key, long Generation, long Sequence);

    /// <summary>Bounds <see cref="newest"/>: past it, forgetting is harmless (entries expire on their own).</summary>
    private const int MaxViews = 10_000;

    /// <summary>Moved by <see cref="Clear"/>: keys from before a rebuild are never read again.</summary>
    private long generation;

    private long computations;

    /// <summary>How many times a view was computed for the cache (fresh reads not counted): stampede protection, seen.</summary>
    public long Computations => Interlocked.Read(ref computations);

    /// <summary>After a rebuild the views are recomputed from the rebuilt read models, with no event stored meanwhile.</summary>
    public void Clear() => Interlocked.Increment(ref generation);

    /// <summary>The answer of <paramref name="view"/> to this query (any immutable record: a view, the activity chart).</summary>
    public Task<T> GetOrCompute<T>(string view, IndicatorQuery query, Func<CancellationToken, Task<T>> compute, CancellationToken ct) where T : class =>
        GetOrCompute($"{view}|{query.Scope}|{query.Suppress}|{query.Period}|{query.From:O}|{query.To:O}|{query.Departement}|{query.Organisation}|{query.Network}",
            query.Fresh, compute, ct);

    /// <summary>
    /// The answer kept under <paramref name="view"/> (the view and everything that changes its figures; never who asked when
    /// two people may see different figures), computed afresh when <paramref name="fresh"/>. The computation gets the
    /// cache's token, not a reader's: one reader leaving does not cancel it for the others waiting on it.
    /// </summary>
    public async Task<T> GetOrCompute<T>(string view, bool fresh, Func<CancellationToken, Task<T>> compute, CancellationToken ct) where T : class
    {
        var sequence = feed.Latest?.Sequence ?? -1;
        if (fresh || sequence < 0) // asked afresh, or the feed has not read the store yet: nothing to key on
            return await compute(ct);
        var current = Interlocked.Read(ref generation);
        var stored = new Stored($"{view}|{current}|{sequence}", current, sequence);
        var answer = await cache.GetOrCreateAsync(stored.Key, (compute, cache: this), static async (state, token) =>
        {
            Interlocked.Increment(ref state.cache.computations);
            return new Answer(await state.compute(token));
        }, Entry, cancellationToken: ct);
        await ForgetOlder(view, stored);
        return (T)answer.Value;
    }

    /// <summary>Nobody reads the answer of an older sequence any more: removed now rather than kept for a minute.</summary>
    private async Task ForgetOlder(string view, Stored stored)
    {
        if (newest.Count >= MaxViews) newest.Clear();
        if (!newest.TryGetValue(view, out var before))
        {
            newest.TryAdd(view, stored);
            return;
        }
        if ((before.Generation, before.Sequence).CompareTo((stored.Generation, stored.Sequence)) < 0 && newest.TryUpdate(view, stored, before))
            await cache.RemoveAsync(before.Key);
    }

    /// <summary>
    /// Every answer is an immutable record or a byte array nobody writes to: one wrapper says so to <see cref="HybridCache"/>,
    /// which then hands out the stored instance instead of a serialised copy per read.
    /// </summary>
    [ImmutableObject(true)]
    private sealed record Answer(object Value);
}
