using System.Globalization;
using Coordination.Dashboard.Indicators;
using Coordination.Dashboard.Privacy;
using Npgsql;

namespace Coordination.Dashboard.Projects;

/// <summary>
/// Where the joint projects stand now (they are not persons: nothing is suppressed): projects per stage and type,
/// funding requested and granted per funder type, support requests still open and their age, and stuck projects
/// (no change of stage for <see cref="StuckAfterDays"/> days before it runs, or a milestone overdue). A département
/// filter keeps projects covering it; an organisation sees the projects it leads. Support requests count when
/// opened in the period; the rest is the current state.
/// </summary>
public static class ProjectIndicators
{
    public const int StuckAfterDays = 90;
    public static readonly string[] Stages = ["idea", "diagnosis", "funding-search", "convention-signed", "launched", "running", "evaluated", "abandoned"];
    private const string Schema = DashboardServiceExtensions.SchemaName;

    private const string Scoped = $"""
        with projects as (
            select project.* from {Schema}.mt_doc_projectfacts project
            where project.stage is not null
              and (@departement::text is null or jsonb_exists(project.data->'departements', @departement))
              and (@organisation::uuid is null or project.lead_organisation_id = @organisation)),
        requests as (
            select request.*, (request.data->>'openedAt')::timestamptz as opened_at, (request.data->>'closed')::boolean as closed,
                   (request.data->>'responseHours')::float8 as response_hours
            from {Schema}.mt_doc_supportrequestfacts request join projects project on project.id = request.project_id
            where (request.data->>'openedAt')::timestamptz >= @from and (request.data->>'openedAt')::timestamptz < @to)
        """;

    public static RouteGroupBuilder MapProjectIndicators(this RouteGroupBuilder group)
    {
        group.MapIndicatorView("projects", "GetProjectIndicators", "Joint project indicators: stages, types, funding per funder, support requests, stuck projects.", Compute);
        return group;
    }

    public static async Task<IndicatorView> Compute(IndicatorQuery query, NpgsqlDataSource db, CancellationToken ct)
    {
        var stages = Stages.ToDictionary(stage => stage, _ => 0);
        var types = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var funding = new SortedDictionary<string, (decimal Requested, decimal Granted, int Pending, int Refused)>(StringComparer.Ordinal);
        var requests = new SortedDictionary<string, (int Open, double? MedianOpenDays, int Answered, double? MedianResponseHours)>(StringComparer.Ordinal);
        var stuck = new List<IndicatorRow>();
        DateTimeOffset? asOf = null;
        var stuckBefore = query.Now.AddDays(-StuckAfterDays).UtcDateTime;

        await new IndicatorBatch(db, Scoped, query.Bind)
            .Add("select stage, count(*), max((data->>'lastEventAt')::timestamptz) from projects group by stage", row =>
            {
                stages[row.GetString(0)] = row.Int(1);
                asOf = asOf is null || row.Instant(2) > asOf ? row.Instant(2) : asOf;
            })
            .Add("select data->>'type', count(*) from projects group by 1", row => types[row.GetString(0)] = row.Int(1))
            .Add("""
                select funding_line->>'funder', coalesce(sum((funding_line->>'requested')::numeric), 0),
                       coalesce(sum((funding_line->>'granted')::numeric) filter (where funding_line->>'decision' = 'granted'), 0),
                       count(*) filter (where funding_line->>'decision' = 'pending'),
                       count(*) filter (where funding_line->>'decision' = 'refused')
                from projects, jsonb_array_elements(projects.data->'fundingLines') funding_line group by 1
                """, row => funding[row.GetString(0)] = (row.Decimal(1), row.Decimal(2), row.Int(3), row.Int(4)))
            .Add("""
                select data->>'kind', count(*) filter (where not closed),
                       percentile_cont(0.5) within group (order by extract(epoch from @now - opened_at) / 86400) filter (where not closed),
                       count(response_hours), percentile_cont(0.5) within group (order by response_hours) filter (where response_hours is not null),
                       max((data->>'lastEventAt')::timestamptz)
                from requests group by 1
                """, row =>
                {
                    requests[row.GetString(0)] = (row.Int(1), row.Double(2), row.Int(3), row.Double(4));
                    asOf = asOf is null || row.Instant(5) > asOf ? row.Instant(5) : asOf;
                }, ("now", query.Now.UtcDateTime))
            .Add("""
                select id, data->>'type', stage, (data->>'stageChangedAt')::timestamptz, jsonb_array_length(data->'overdueMilestones'),
                       coalesce(data->'departements'->>0, '')
                from projects
                where stage not in ('running', 'evaluated', 'abandoned')
                  and ((data->>'stageChangedAt')::timestamptz < @stuckBefore or jsonb_array_length(data->'overdueMilestones') > 0)
                order by 4 limit 200
                """, row => stuck.Add(new IndicatorRow(row.GetGuid(0).ToString(), $"{Labels.For(row.GetString(1))} ({row.GetString(5)})",
                    new Dictionary<string, string?>
                    {
                        ["type"] = row.GetString(1), ["stage"] = row.GetString(2), ["departement"] = row.GetString(5),
                        ["days-in-stage"] = ((int)(query.Now - row.Instant(3)!.Value).TotalDays).ToString(CultureInfo.InvariantCulture),
                        ["overdue-milestones"] = row.Int(4).ToString(CultureInfo.InvariantCulture),
                    })), ("stuckBefore", stuckBefore))
            .RunAsync(ct);

        static string Amount(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
        var tables = new List<IndicatorTable>
        {
            new("stages", "Projets par étape", ["count"], [.. Stages.Select(stage => IndicatorRow.For(stage, ("count", stages[stage].ToString())))]),
            new("types", "Projets par type", ["count"], [.. types.Select(type => IndicatorRow.For(type.Key, ("count", type.Value.ToString())))]),
            new("funding", "Financements demandés et obtenus par financeur (euros)", ["requested", "granted", "pending-lines", "refused-lines"],
            [
                .. funding.Select(funder => IndicatorRow.For(funder.Key,
                    ("requested", Amount(funder.Value.Requested)), ("granted", Amount(funder.Value.Granted)),
                    ("pending-lines", funder.Value.Pending.ToString()), ("refused-lines", funder.Value.Refused.ToString()))),
                IndicatorRow.For("total",
                    ("requested", Amount(funding.Values.Sum(funder => funder.Requested))), ("granted", Amount(funding.Values.Sum(funder => funder.Granted))),
                    ("pending-lines", funding.Values.Sum(funder => funder.Pending).ToString()),
                    ("refused-lines", funding.Values.Sum(funder => funder.Refused).ToString())),
            ]),
            new("support-requests", "Demandes d'appui ouvertes sur la période", ["open", "median-open-days", "answered", "median-response-hours"],
                [.. requests.Select(kind => IndicatorRow.For(kind.Key, ("open", kind.Value.Open.ToString()),
                    ("median-open-days", kind.Value.MedianOpenDays is { } days ? Publication.Number(days, 1) : null),
                    ("answered", kind.Value.Answered.ToString()),
                    ("median-response-hours", kind.Value.MedianResponseHours is { } hours ? Publication.Number(hours, 1) : null)))]),
            new("stuck", $"Projets bloqués (même étape depuis {StuckAfterDays} jours ou jalon en retard)",
                ["type", "stage", "departement", "days-in-stage", "overdue-milestones"], stuck),
        };
        return query.View("projects", asOf, tables);
    }
}
