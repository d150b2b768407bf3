using Npgsql;

namespace Coordination.Dashboard.Indicators;

public static class IndicatorEndpoints
{
    /// <summary>
    /// A view at <c>/indicators/{view}</c> and the same as CSV at <c>/indicators/{view}.csv</c>: the query string checked
    /// (<see cref="IndicatorQuery"/>) and, when given, by <paramref name="refuse"/> (a problem for a query this view cannot answer),
    /// the view served from <see cref="IndicatorCache"/> or computed.
    /// </summary>
    public static RouteGroupBuilder MapIndicatorView(this RouteGroupBuilder group, string view, string endpointName, string summary,
        Func<IndicatorQuery, NpgsqlDataSource, CancellationToken, Task<IndicatorView>> compute, Func<IndicatorQuery, IResult?>? refuse = null)
    {
        Task<IndicatorView> Single(IndicatorQuery query, IndicatorCache cache, NpgsqlDataSource db, CancellationToken ct) =>
            cache.GetOrCompute(view, query, token => compute(query, db, token), ct);

        // Compared with the year before: each period computed (and cached) as its own view, then set side by side.
        async Task<IndicatorView> Computed(IndicatorQuery query, IndicatorCache cache, NpgsqlDataSource db, CancellationToken ct) =>
            !query.Compare ? await Single(query, cache, db, ct) : Comparison.Combine(
                await Single(query with { Compare = false }, cache, db, ct),
                await Single(Comparison.YearBefore(query) with { Compare = false }, cache, db, ct), query.Period);

        group.MapGet($"/indicators/{view}", (HttpContext http, NpgsqlDataSource db, IndicatorCache cache, TimeProvider time, CancellationToken ct) =>
                IndicatorQuery.Answer(http, time, async query => refuse?.Invoke(query) ?? TypedResults.Ok(await Computed(query, cache, db, ct))))
            .WithName(endpointName)
            .WithSummary(summary);
        group.MapGet($"/indicators/{view}.csv", (HttpContext http, NpgsqlDataSource db, IndicatorCache cache, TimeProvider time, CancellationToken ct) =>
                IndicatorQuery.Answer(http, time, async query => refuse?.Invoke(query) ?? (await Computed(query, cache, db, ct)).AsCsvFile()))
            .WithName(endpointName + "Csv")
            .WithSummary("The same view as CSV (UTF-8 with BOM, ';').");
        return group;
    }
}
