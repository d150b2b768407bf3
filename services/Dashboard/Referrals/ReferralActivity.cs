using Coordination.Dashboard.Indicators;
using System.Globalization;
using System.Text;
using Coordination.Dashboard.Privacy;
using Coordination.ReferenceData;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Npgsql;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordination.Dashboard.Referrals;

/// <summary>One département's hand-offs in the period, by where they stand. A value is a number, "&lt; 11" or "secret".</summary>
public sealed record ReferralActivityRow(string Departement, string DepartementName, IReadOnlyDictionary<string, string> Counts, string Total);

public sealed record ReferralActivity(
    string Scope, DateTimeOffset From, DateTimeOffset To, DateTimeOffset? AsOf, bool Suppressed, IReadOnlyList<string> Columns,
    IReadOnlyList<ReferralActivityRow> Rows, IReadOnlyDictionary<string, string> ColumnTotals, string Total);

/// <summary>
/// Hand-offs sent in a period, per département and by where they stand now. National coordinators see every
/// département with small counts suppressed (and secondary suppression); organisation staff see their own
/// organisation's hand-offs (sent or received) unsuppressed. Read from the <see cref="ReferralFacts"/> projection,
/// never by replaying events. Also as CSV (UTF-8 with BOM, ";"), as French spreadsheets expect.
/// </summary>
public static class ReferralActivityEndpoint
{
    public static readonly string[] Columns =
        ["sent", "acknowledged", "on-hold", "accepted", "in-progress", "completed", "declined", "redirected", "withdrawn", "expired"];

    public static RouteGroupBuilder MapReferralActivity(this RouteGroupBuilder group)
    {
        group.MapGet("/referral-activity", async Task<Results<Ok<ReferralActivity>, ValidationProblem, ProblemHttpResult>> (
                HttpContext http, NpgsqlDataSource db, TimeProvider time, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
            await Compute(http, db, time, from, to, ct) is { } activity ? TypedResults.Ok(activity) : Problems.Forbidden(NotAllowed))
            .WithName("GetReferralActivity").WithSummary("Hand-offs per département and status over a period (suppressed nationally; own organisation unsuppressed).");

        group.MapGet("/referral-activity.csv", async Task<IResult> (
                HttpContext http, NpgsqlDataSource db, TimeProvider time, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
            {
                var activity = await Compute(http, db, time, from, to, ct);
                if (activity is null) return Problems.Forbidden(NotAllowed);
                var csv = new StringBuilder();
                csv.AppendLine(string.Join(';', new[] { "departement", "nom" }.Concat(activity.Columns).Append("total")));
                foreach (var row in activity.Rows)
                    csv.AppendLine(string.Join(';', new[] { row.Departement, Quote(row.DepartementName) }.Concat(activity.Columns.Select(c => row.Counts[c])).Append(row.Total)));
                csv.AppendLine(string.Join(';', new[] { "total", "" }.Concat(activity.Columns.Select(c => activity.ColumnTotals[c])).Append(activity.Total)));
                var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
                return TypedResults.File(bytes, "text/csv; charset=utf-8", $"orientations-{activity.From:yyyy-MM-dd}-{activity.To:yyyy-MM-dd}.csv");
            }).WithName("GetReferralActivityCsv").WithSummary("The same figures as CSV (UTF-8 with BOM, ';' separator).");
        return group;
    }

    private const string NotAllowed = "Ces indicateurs sont réservés aux coordinateurs nationaux et au personnel des organisations.";

    private static async Task<ReferralActivity?> Compute(HttpContext http, NpgsqlDataSource db, TimeProvider time,
        DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        var until = to ?? time.GetUtcNow();
        var since = from ?? until.AddYears(-1);
        string scope;
        Guid? organisation = null;
        if (user.IsCoordinatorOrAdmin) scope = "national";
        else if (user.OrganisationId is { } own && Roles.OrganisationStaff.Contains(user.Role))
        {
            scope = "organisation";
            organisation = own;
        }
        else return null;

        // Counted by PostgreSQL over the facts' duplicated columns: no document is loaded.
        var found = new List<(string Departement, string Status, int Count)>();
        DateTimeOffset? asOf = null;
        await using (var command = db.CreateCommand($"""
            select departement, status, count(*), max(last_event_at) from {DashboardServiceExtensions.SchemaName}.mt_doc_referralfacts
            where sent_at >= @from and sent_at < @to and status <> 'entered-in-error'
              and (@organisation::uuid is null or sender_organisation_id = @organisation or receiver_organisation_id = @organisation)
            group by 1, 2
            """))
        {
            command.Parameters.AddWithValue("from", NpgsqlTypes.NpgsqlDbType.TimestampTz, since.UtcDateTime);
            command.Parameters.AddWithValue("to", NpgsqlTypes.NpgsqlDbType.TimestampTz, until.UtcDateTime);
            command.Parameters.AddWithValue("organisation", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)organisation ?? DBNull.Value);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                found.Add((reader.GetString(0), reader.GetString(1), reader.Int(2)));
                if (reader.Instant(3) is { } last && (asOf is null || last > asOf)) asOf = last;
            }
        }
        var departements = found.Select(f => f.Departement).Distinct().Order(StringComparer.Ordinal).ToList();
        var counts = new int[departements.Count, Columns.Length];
        foreach (var (departement, status, count) in found)
        {
            var column = Array.IndexOf(Columns, status);
            if (column >= 0) counts[departements.IndexOf(departement), column] += count;
        }
        // Persons are counted here (one hand-off, one person): national figures are suppressed, an organisation's own are not.
        var suppress = scope == "national";
        var table = suppress ? SmallCellSuppression.Apply(counts) : Unsuppressed(counts);
        var rows = departements.Select((d, r) => new ReferralActivityRow(d, Vocabularies.Departements.TryGetValue(d, out var dep) ? dep.Name : d,
            Columns.Select((c, i) => (c, table.Cells[r, i].ToString())).ToDictionary(x => x.c, x => x.Item2), table.RowTotals[r].ToString())).ToList();
        return new ReferralActivity(scope, since, until, asOf, suppress, Columns, rows,
            Columns.Select((c, i) => (c, table.ColumnTotals[i].ToString())).ToDictionary(x => x.c, x => x.Item2), table.GrandTotal.ToString());
    }

    private static PublishedTable Unsuppressed(int[,] counts)
    {
        int rows = counts.GetLength(0), columns = counts.GetLength(1);
        var cells = new PublishedCount[rows, columns];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                cells[r, c] = new PublishedCount(counts[r, c]);
        var rowTotals = Enumerable.Range(0, rows).Select(r => new PublishedCount(Enumerable.Range(0, columns).Sum(c => counts[r, c]))).ToArray();
        var columnTotals = Enumerable.Range(0, columns).Select(c => new PublishedCount(Enumerable.Range(0, rows).Sum(r => counts[r, c]))).ToArray();
        return new PublishedTable(cells, rowTotals, columnTotals, new PublishedCount(rowTotals.Sum(t => t.Value!.Value)));
    }

    private static string Quote(string value) => value.Contains(';') || value.Contains('"') ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}
