using Coordination.Dashboard.Indicators;
using Coordination.Dashboard.Privacy;
using Coordination.ReferenceData;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Npgsql;
using NpgsqlTypes;

namespace Coordination.Dashboard.OpenData;

/// <summary>
/// The national open-data file national coordinators publish (e.g. on data.gouv.fr): hand-offs per month and
/// département for a calendar year, by how they were answered, under Licence Ouverte 2.0, with the same
/// suppression as the national views over the whole table (so no hidden cell can be recovered from any row or
/// column sum), and a description of every column.
/// </summary>
public static class OpenDataExport
{
    public static readonly (string Column, string Description)[] Columns =
    [
        ("mois", "Mois d'envoi de l'orientation (AAAA-MM, heure de Paris)"),
        ("code_departement", "Code INSEE du département où se trouve la personne"),
        ("nom_departement", "Nom du département"),
        ("orientations", "Orientations envoyées (une orientation = une personne)"),
        ("en_attente", "Sans réponse à ce jour"),
        ("acceptees", "Acceptées (y compris en cours et terminées)"),
        ("declinees", "Déclinées"),
        ("reorientees", "Réorientées vers une autre structure"),
        ("expirees", "Expirées sans réponse"),
        ("retirees", "Retirées par l'émetteur"),
    ];

    private static readonly string[] Groups = ["pending", "accepted", "declined", "redirected", "expired", "withdrawn"];

    public static IEndpointRouteBuilder MapOpenData(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/dashboard/open-data").WithTags("Dashboard").RequireAuthorization(Policies.Coordinators);
        group.MapGet("/", (TimeProvider time) => TypedResults.Ok(new
        {
            title = "Orientations entre intervenants sociaux en commissariat et gendarmerie et associations d'aide aux victimes",
            publisher = "Coordination France Victimes × ANISCG",
            licence = "Licence Ouverte / Open Licence version 2.0 (Etalab)",
            licenceUrl = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            frequency = "mensuelle",
            suppression = "Tout effectif de 1 à 10 personnes est remplacé par « < 11 » ; une case peut être masquée par « secret » pour qu'aucun effectif masqué ne puisse être recalculé à partir des totaux.",
            resources = new[] { new { year = time.GetUtcNow().Year, url = $"/api/dashboard/open-data/referrals-{time.GetUtcNow().Year}.csv" } },
            columns = Columns.Select(c => new { name = c.Column, description = c.Description }),
        }))
            .WithName("GetOpenDataCatalogue").WithSummary("What the national open-data export holds, its licence and its columns.");

        // Served from the view cache like every view (one file per year, the same for every coordinator), until the next stored event.
        group.MapGet("/referrals-{year:int}.csv", async Task<IResult> (int year, HttpContext http, NpgsqlDataSource db, IndicatorCache cache,
                TimeProvider time, CancellationToken ct) =>
            {
                if (year < 2011 || year > time.GetUtcNow().Year)
                    return Problems.Invalid(new Dictionary<string, string[]> { ["year"] = [$"Année invalide : de 2011 (la convention) à {time.GetUtcNow().Year}."] });
                var file = await cache.GetOrCompute($"open-data|{year}", IndicatorQuery.AsksFresh(http), token => Build(year, db, token), ct);
                return TypedResults.File(file, "text/csv; charset=utf-8", $"orientations-iscg-aav-{year}.csv");
            })
            .WithName("GetOpenDataReferrals").WithSummary("One year of hand-offs per month and département, suppressed (UTF-8 with BOM, ';').");
        return app;
    }

    public static async Task<byte[]> Build(int year, NpgsqlDataSource db, CancellationToken ct)
    {
        var cells = new List<(string Month, string Departement)>();
        var rows = new List<int[]>();
        // From the monthly totals the trigger keeps (see ReferralMonthRollup): ~11,000 rows for a national year, grouped by
        // the month's date (its text per row made the grouping 4× slower), in the file's order (codes compared byte by
        // byte: 2A and 2B after 19, 971 after 95).
        await using (var command = db.CreateCommand($"""
            select to_char(period_start, 'YYYY-MM'), departement,
                   sum(pending)::int, sum(accepted)::int, sum(declined)::int, sum(redirected)::int, sum(expired)::int, sum(withdrawn)::int
            from {DashboardServiceExtensions.SchemaName}.referral_months
            where grain = 'm' and period_start >= @from and period_start < @to and departement <> '*' and network = '*'
            group by period_start, departement having sum(sent) > 0
            order by period_start, departement collate "C"
            """))
        {
            command.Parameters.AddWithValue("from", NpgsqlDbType.Date, new DateOnly(year, 1, 1));
            command.Parameters.AddWithValue("to", NpgsqlDbType.Date, new DateOnly(year + 1, 1, 1));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                cells.Add((reader.GetString(0), reader.GetString(1)));
                var row = new int[Groups.Length];
                for (var group = 0; group < Groups.Length; group++) row[group] = reader.GetInt32(2 + group);
                rows.Add(row);
            }
        }

        var matrix = new int[cells.Count, Groups.Length];
        for (var row = 0; row < cells.Count; row++)
            for (var group = 0; group < Groups.Length; group++) matrix[row, group] = rows[row][group];
        var table = SmallCellSuppression.Apply(matrix);

        var csv = new CsvWriter().Row(Columns.Select(column => column.Column));
        for (var row = 0; row < cells.Count; row++)
        {
            var (month, departement) = cells[row];
            var name = Vocabularies.Departements.TryGetValue(departement, out var known) ? known.Name : departement;
            csv.Row([month, departement, name, table.RowTotals[row].ToString(),
                .. Enumerable.Range(0, Groups.Length).Select(group => table.Cells[row, group].ToString())]);
        }
        return csv.ToBytes();
    }
}
