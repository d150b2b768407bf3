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
            select p.* from {Schema}.mt_doc_projectfacts p
            where p.stage is not null
              and (@departement::text is null or jsonb_exists(p.data->'departements', @departement))
              and (@organisation::uuid is null or p.lead_organisation_id = @organisation)),
        requests as (
            select r.*, (r.data->>'openedAt')::timestamptz as opened_at, (r.data->>'closed')::boolean as closed,
                   (r.data->>'responseHours')::float8 as response_hours
            from {Schema}.mt_doc_supportrequestfacts r join projects p on p.id = r.project_id
            where (r.data->>'openedAt')::timestamptz >= @from and (r.data->>'openedAt')::timestamptz < @to)
        """;

    public static RouteGroupBuilder MapProjectIndicators(this RouteGroupBuilder group)
    {
        group.MapIndicatorView("projects", "GetProjectIndicators", "Joint project indicators: stages, types, funding per funder, support requests, stuck projects.", Compute);
        return group;
    }

    public static async Task<IndicatorView> Compute(IndicatorQuery q, NpgsqlDataSource db, CancellationToken ct)
    {
        var stages = Stages.ToDictionary(s => s, _ => 0);
        var types = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var funding = new SortedDictionary<string, (decimal Requested, decimal Granted, int Pending, int Refused)>(StringComparer.Ordinal);
        var requests = new SortedDictionary<string, (int Open, double? MedianOpenDays, int Answered, double? MedianResponseHours)>(StringComparer.Ordinal);
        var stuck = new List<IndicatorRow>();
        DateTimeOffset? asOf = null;
        var stuckBefore = q.Now.AddDays(-StuckAfterDays).UtcDateTime;

        await new IndicatorBatch(db, Scoped, p => q.Bind(p))
            .Add("select stage, count(*), max((data->>'lastEventAt')::timestamptz) from projects group by stage", r =>
            {
                stages[r.GetString(0)] = r.Int(1);
                asOf = asOf is null || r.Instant(2) > asOf ? r.Instant(2) : asOf;
            })
            .Add("select data->>'type', count(*) from projects group by 1", r => types[r.GetString(0)] = r.Int(1))
            .Add("""
                select l->>'funder', coalesce(sum((l->>'requested')::numeric), 0),
                       coalesce(sum((l->>'granted')::numeric) filter (where l->>'decision' = 'granted'), 0),
                       count(*) filter (where l->>'decision' = 'pending'), count(*) filter (where l->>'decision' = 'refused')
                from projects, jsonb_array_elements(projects.data->'fundingLines') l group by 1
                """, r => funding[r.GetString(0)] = (r.Decimal(1), r.Decimal(2), r.Int(3), r.Int(4)))
            .Add("""
                select data->>'kind', count(*) filter (where not closed),
                       percentile_cont(0.5) within group (order by extract(epoch from @now - opened_at) / 86400) filter (where not closed),
                       count(response_hours), percentile_cont(0.5) within group (order by response_hours) filter (where response_hours is not null),
                       max((data->>'lastEventAt')::timestamptz)
                from requests group by 1
                """, r =>
                {
                    requests[r.GetString(0)] = (r.Int(1), r.Double(2), r.Int(3), r.Double(4));
                    asOf = asOf is null || r.Instant(5) > asOf ? r.Instant(5) : asOf;
                }, ("now", q.Now.UtcDateTime))
            .Add("""
                select id, data->>'type', stage, (data->>'stageChangedAt')::timestamptz, jsonb_array_length(data->'overdueMilestones'),
                       coalesce(data->'departements'->>0, '')
                from projects
                where stage not in ('running', 'evaluated', 'abandoned')
                  and ((data->>'stageChangedAt')::timestamptz < @stuckBefore or jsonb_array_length(data->'overdueMilestones') > 0)
                order by 4 limit 200
                """, r => stuck.Add(new IndicatorRow(r.GetGuid(0).ToString(), $"{Labels.For(r.GetString(1))} ({r.GetString(5)})",
                    new Dictionary<string, string?>
                    {
                        ["type"] = r.GetString(1), ["stage"] = r.GetString(2), ["departement"] = r.GetString(5),
                        ["days-in-stage"] = ((int)(q.Now - r.Instant(3)!.Value).TotalDays).ToString(CultureInfo.InvariantCulture),
                        ["overdue-milestones"] = r.Int(4).ToString(CultureInfo.InvariantCulture),
                    })), ("stuckBefore", stuckBefore))
            .RunAsync(ct);

        static string Amount(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
        var tables = new List<IndicatorTable>
        {
            new("stages", "Projets par étape", ["count"], [.. Stages.Select(s => IndicatorRow.For(s, ("count", stages[s].ToString())))]),
            new("types", "Projets par type", ["count"], [.. types.Select(t => IndicatorRow.For(t.Key, ("count", t.Value.ToString())))]),
            new("funding", "Financements demandés et obtenus par financeur (euros)", ["requested", "granted", "pending-lines", "refused-lines"],
            [
                .. funding.Select(f => IndicatorRow.For(f.Key, ("requested", Amount(f.Value.Requested)), ("granted", Amount(f.Value.Granted)),
                    ("pending-lines", f.Value.Pending.ToString()), ("refused-lines", f.Value.Refused.ToString()))),
                IndicatorRow.For("total", ("requested", Amount(funding.Values.Sum(f => f.Requested))), ("granted", Amount(funding.Values.Sum(f => f.Granted))),
                    ("pending-lines", funding.Values.Sum(f => f.Pending).ToString()), ("refused-lines", funding.Values.Sum(f => f.Refused).ToString())),
            ]),
            new("support-requests", "Demandes d'appui ouvertes sur la période", ["open", "median-open-days", "answered", "median-response-hours"],
                [.. requests.Select(r => IndicatorRow.For(r.Key, ("open", r.Value.Open.ToString()),
                    ("median-open-days", r.Value.MedianOpenDays is { } d ? Publication.Number(d, 1) : null), ("answered", r.Value.Answered.ToString()),
                    ("median-response-hours", r.Value.MedianResponseHours is { } h ? Publication.Number(h, 1) : null)))]),
            new("stuck", $"Projets bloqués (même étape depuis {StuckAfterDays} jours ou jalon en retard)",
                ["type", "stage", "departement", "days-in-stage", "overdue-milestones"], stuck),
        };
        return q.View("projects", asOf, tables);
    }
}
