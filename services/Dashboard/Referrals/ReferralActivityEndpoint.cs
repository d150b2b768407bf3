using Coordination.Dashboard.Indicators;
using Coordination.Dashboard.Privacy;
using Coordination.ReferenceData;
using Npgsql;
using NpgsqlTypes;

namespace Coordination.Dashboard.Referrals;

/// <summary>
/// Hand-offs sent in a period, per département and by status. The same query, access rule and scope as every
/// indicator view (<see cref="IndicatorQuery"/>, <see cref="ReferralFigures.ScopedRows"/>), cached like them: national coordinators
/// see every département with small counts suppressed (and secondary suppression), organisation staff their own
/// organisation's hand-offs (sent or received) unsuppressed. Also as CSV.
/// </summary>
public static class ReferralActivityEndpoint
{
    public static readonly string[] Columns =
        ["sent", "acknowledged", "on-hold", "accepted", "in-progress", "completed", "declined", "redirected", "withdrawn", "expired"];

    public static RouteGroupBuilder MapReferralActivity(this RouteGroupBuilder group)
    {
        group.MapGet("/referral-activity", (HttpContext http, NpgsqlDataSource db, IndicatorCache cache, TimeProvider time, CancellationToken ct) =>
                IndicatorQuery.Answer(http, time, async query => TypedResults.Ok(await Cached(query, cache, db, ct))))
            .WithName("GetReferralActivity")
            .WithSummary("Hand-offs per département and status over a period (suppressed nationally; own organisation unsuppressed).");

        group.MapGet("/referral-activity.csv", (HttpContext http, NpgsqlDataSource db, IndicatorCache cache, TimeProvider time, CancellationToken ct) =>
                IndicatorQuery.Answer(http, time, async query => AsCsv(await Cached(query, cache, db, ct))))
            .WithName("GetReferralActivityCsv")
            .WithSummary("The same figures as CSV (UTF-8 with BOM, ';' separator).");
        return group;
    }

    private static IResult AsCsv(ReferralActivity activity)
    {
        var csv = new CsvWriter().Row(["departement", "nom", .. activity.Columns, "total"]);
        foreach (var row in activity.Rows)
            csv.Row([row.Departement, row.DepartementName, .. activity.Columns.Select(column => row.Counts[column]), row.Total]);
        csv.Row(["total", "", .. activity.Columns.Select(column => activity.ColumnTotals[column]), activity.Total]);
        return csv.AsFile($"orientations-{activity.From:yyyy-MM-dd}-{activity.To:yyyy-MM-dd}.csv");
    }

    /// <summary>Served from <see cref="IndicatorCache"/> until the next stored event, like every indicator view.</summary>
    private static Task<ReferralActivity> Cached(IndicatorQuery query, IndicatorCache cache, NpgsqlDataSource db, CancellationToken ct) =>
        cache.GetOrCompute("referral-activity", query, token => Compute(query, db, token), ct);

    /// <summary>
    /// Without an organisation, over whole days: from the statuses the rollup keeps per département and month or day
    /// (whole months read from the months, the days before the first and after the last from the days); otherwise
    /// from the hand-offs themselves.
    /// </summary>
    public static Task<ReferralActivity> Compute(IndicatorQuery query, NpgsqlDataSource db, CancellationToken ct) =>
        query.Organisation is null && ReferralIndicators.IsDayStart(query.From) && ReferralIndicators.IsDayStart(query.To)
            ? FromTotals(query, db, ct)
            : ComputeFromFacts(query, db, ct);

    /// <summary>The same chart counted from the hand-offs whatever the scope: what the totals are checked against.</summary>
    public static async Task<ReferralActivity> ComputeFromFacts(IndicatorQuery query, NpgsqlDataSource db, CancellationToken ct)
    {
        var found = new List<(string Departement, string Status, int Count)>();
        DateTimeOffset? asOf = null;
        await new IndicatorBatch(db, "", query.Bind)
            .Materialize("scoped", ReferralFigures.ScopedRows)
            .Add("select departement, status, count(*), max(last_event_at) from scoped group by 1, 2", row =>
            {
                found.Add((row.GetString(0), row.GetString(1), row.Int(2)));
                if (row.Instant(3) is { } last && (asOf is null || last > asOf)) asOf = last;
            })
            .RunAsync(ct);
        return Publish(query, found, asOf);
    }

    private static async Task<ReferralActivity> FromTotals(IndicatorQuery query, NpgsqlDataSource db, CancellationToken ct)
    {
        var (fromDay, toDay) = (ParisTime.DayOf(query.From), ParisTime.DayOf(query.To));
        var firstMonth = fromDay.Day == 1 ? fromDay : new DateOnly(fromDay.Year, fromDay.Month, 1).AddMonths(1);
        var endMonth = new DateOnly(toDay.Year, toDay.Month, 1);
        if (firstMonth >= endMonth) (firstMonth, endMonth) = (fromDay, fromDay); // no whole month: every day from the days
        void Bind(NpgsqlParameterCollection parameters)
        {
            query.Bind(parameters);
            parameters.AddWithValue("fromDay", NpgsqlDbType.Date, fromDay);
            parameters.AddWithValue("toDay", NpgsqlDbType.Date, toDay);
            parameters.AddWithValue("firstMonth", NpgsqlDbType.Date, firstMonth);
            parameters.AddWithValue("endMonth", NpgsqlDbType.Date, endMonth);
        }

        var found = new List<(string Departement, string Status, int Count)>();
        DateTimeOffset? asOf = null;
        await new IndicatorBatch(db, "", Bind)
            .Add($"""
                select departement, status, sum(n), max(last_event_at) from {DashboardServiceExtensions.SchemaName}.referral_statuses
                where network = coalesce(@kind::text, '*') and (@departement::text is null or departement = @departement)
                  and ((grain = 'm' and period_start >= @firstMonth and period_start < @endMonth)
                    or (grain = 'd' and period_start >= @fromDay and period_start < @firstMonth)
                    or (grain = 'd' and period_start >= @endMonth and period_start < @toDay))
                group by 1, 2 having sum(n) > 0
                """, row =>
                {
                    found.Add((row.GetString(0), row.GetString(1), row.Int(2)));
                    if (row.Instant(3) is { } last && (asOf is null || last > asOf)) asOf = last;
                })
            .RunAsync(ct);
        return Publish(query, found, asOf);
    }

    private static ReferralActivity Publish(IndicatorQuery query, List<(string Departement, string Status, int Count)> found, DateTimeOffset? asOf)
    {
        var departements = found.Select(cell => cell.Departement).Distinct().Order(StringComparer.Ordinal).ToList();
        var counts = new int[departements.Count, Columns.Length];
        foreach (var (departement, status, count) in found)
            if (Array.IndexOf(Columns, status) is var column and >= 0)
                counts[departements.IndexOf(departement), column] += count;

        // Persons are counted here (one hand-off, one person): coordinators' figures are suppressed, an organisation's own are not.
        var table = query.Suppress ? SmallCellSuppression.Apply(counts) : PublishedTable.Unsuppressed(counts);
        var rows = departements.Select((departement, row) => new ReferralActivity.Row(departement,
                Vocabularies.Departements.TryGetValue(departement, out var known) ? known.Name : departement,
                Columns.Select((status, column) => (status, table.Cells[row, column].ToString())).ToDictionary(),
                table.RowTotals[row].ToString()))
            .ToList();
        var columnTotals = Columns.Select((status, column) => (status, table.ColumnTotals[column].ToString())).ToDictionary();
        return new ReferralActivity(query.Scope, query.From, query.To, asOf, query.Suppress, Columns, rows, columnTotals,
            table.GrandTotal.ToString());
    }
}
