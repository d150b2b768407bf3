using Coordination.Dashboard.Indicators;
using Coordination.Dashboard.Privacy;
using Coordination.ReferenceData;
using Npgsql;

namespace Coordination.Dashboard.Referrals;

/// <summary>
/// Hand-offs sent in a period, per département and by status. The same query, access rule and scope as every
/// indicator view (<see cref="IndicatorQuery"/>, <see cref="ReferralFigures.ScopedRows"/>): national coordinators
/// see every département with small counts suppressed (and secondary suppression), organisation staff their own
/// organisation's hand-offs (sent or received) unsuppressed. Also as CSV.
/// </summary>
public static class ReferralActivityEndpoint
{
    public static readonly string[] Columns =
        ["sent", "acknowledged", "on-hold", "accepted", "in-progress", "completed", "declined", "redirected", "withdrawn", "expired"];

    public static RouteGroupBuilder MapReferralActivity(this RouteGroupBuilder group)
    {
        group.MapGet("/referral-activity", (HttpContext http, NpgsqlDataSource db, TimeProvider time, CancellationToken ct) =>
                IndicatorQuery.Answer(http, time, async query => TypedResults.Ok(await Compute(query, db, ct))))
            .WithName("GetReferralActivity")
            .WithSummary("Hand-offs per département and status over a period (suppressed nationally; own organisation unsuppressed).");

        group.MapGet("/referral-activity.csv", (HttpContext http, NpgsqlDataSource db, TimeProvider time, CancellationToken ct) =>
                IndicatorQuery.Answer(http, time, async query => AsCsv(await Compute(query, db, ct))))
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

    public static async Task<ReferralActivity> Compute(IndicatorQuery query, NpgsqlDataSource db, CancellationToken ct)
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
