using Coordination.Dashboard.Indicators;
using Coordination.Dashboard.Privacy;
using Coordination.ReferenceData;
using Npgsql;
using NpgsqlTypes;

namespace Coordination.Dashboard.Training;

/// <summary>
/// Joint training and interventions of a scope and period: sessions scheduled, held and cancelled (by start date),
/// participants per network, fill rate, waiting lists now, mean satisfaction, and per département the sessions
/// held and joint interventions, with the départements that had none. An organisation sees the départements it
/// covers; a network filter keeps the sessions meant for that network.
/// </summary>
public static class TrainingIndicators
{
    private const string Schema = DashboardServiceExtensions.SchemaName;

    private const string Scoped = $"""
        with territory as (
            select jsonb_array_elements_text(organisation.data->'departements') as departement
            from {Schema}.mt_doc_participatingorganisation organisation where organisation.id = @organisation),
        sessions as (
            select session.* from {Schema}.mt_doc_trainingsessionfacts session
            where session.starts_at >= @from and session.starts_at < @to
              and (@departement::text is null or session.departement = @departement)
              and (@organisation::uuid is null or session.departement in (select departement from territory))
              and (@audiences::text[] is null or session.data->>'audience' = any(@audiences))),
        interventions as (
            select intervention.* from {Schema}.mt_doc_jointinterventionfacts intervention
            where intervention.on_day >= @from and intervention.on_day < @to
              and (@departement::text is null or intervention.departement = @departement)
              and (@organisation::uuid is null or intervention.departement in (select departement from territory)))
        """;

    public static RouteGroupBuilder MapTrainingIndicators(this RouteGroupBuilder group)
    {
        group.MapIndicatorView("training", "GetTrainingIndicators", "Joint training and intervention indicators for a period, département, organisation's territory and network.", Compute);
        return group;
    }

    private static string[]? Audiences(string? network) => network switch
    {
        "iscg" => ["iscg-workers", "both"],
        "association" => ["association-staff", "both"],
        "partner" => ["partners"],
        _ => null,
    };

    public static async Task<IndicatorView> Compute(IndicatorQuery query, NpgsqlDataSource db, CancellationToken ct)
    {
        int scheduled = 0, held = 0, cancelled = 0, iscg = 0, associations = 0, partners = 0, registered = 0, capacity = 0, waitlist = 0, ratingSum = 0, evaluations = 0;
        DateTimeOffset? asOf = null;
        var byDepartement = new SortedDictionary<string, (int Held, int Interventions, int Attendance)>(StringComparer.Ordinal);
        var covered = new SortedSet<string>(StringComparer.Ordinal);

        void BindScope(NpgsqlParameterCollection parameters)
        {
            query.Bind(parameters);
            parameters.AddWithValue("audiences", NpgsqlDbType.Array | NpgsqlDbType.Text, (object?)Audiences(query.Network) ?? DBNull.Value);
        }

        await new IndicatorBatch(db, Scoped, BindScope)
            .Add("""
                select count(*), count(*) filter (where (data->>'held')::boolean), count(*) filter (where (data->>'cancelled')::boolean),
                       coalesce(sum((data->>'attendedIscg')::int) filter (where (data->>'held')::boolean), 0),
                       coalesce(sum((data->>'attendedAssociations')::int) filter (where (data->>'held')::boolean), 0),
                       coalesce(sum((data->>'attendedPartners')::int) filter (where (data->>'held')::boolean), 0),
                       coalesce(sum((data->>'registered')::int) filter (where (data->>'held')::boolean), 0),
                       coalesce(sum((data->>'capacity')::int) filter (where (data->>'held')::boolean), 0),
                       coalesce(sum((data->>'waitlisted')::int) filter (where not (data->>'held')::boolean and not (data->>'cancelled')::boolean and starts_at >= @now), 0),
                       coalesce(sum((data->>'ratingSum')::int), 0), coalesce(sum((data->>'evaluations')::int), 0),
                       max((data->>'lastEventAt')::timestamptz)
                from sessions
                """, row =>
                {
                    (scheduled, held, cancelled) = (row.Int(0), row.Int(1), row.Int(2));
                    (iscg, associations, partners) = (row.Int(3), row.Int(4), row.Int(5));
                    (registered, capacity, waitlist, ratingSum, evaluations) = (row.Int(6), row.Int(7), row.Int(8), row.Int(9), row.Int(10));
                    asOf = Later(asOf, row.Instant(11));
                }, ("now", query.Now.UtcDateTime))
            .Add("select departement, count(*) filter (where (data->>'held')::boolean) from sessions group by departement",
                row => byDepartement[row.GetString(0)] = (row.Int(1), 0, 0))
            .Add("select departement, count(*), coalesce(sum((data->>'attendanceCount')::int), 0), max((data->>'lastEventAt')::timestamptz) from interventions group by departement",
                row =>
                {
                    var sessions = byDepartement.GetValueOrDefault(row.GetString(0));
                    byDepartement[row.GetString(0)] = (sessions.Held, row.Int(1), row.Int(2));
                    asOf = Later(asOf, row.Instant(3));
                })
            .Add($"""
                select distinct covered from {Schema}.mt_doc_participatingorganisation organisation,
                       jsonb_array_elements_text(organisation.data->'departements') covered
                where (organisation.data->>'active')::boolean and (@departement::text is null or covered = @departement)
                  and (@organisation::uuid is null or covered in (select departement from territory))
                """, row => covered.Add(row.GetString(0)))
            .RunAsync(ct);

        var suppress = query.Suppress;
        var (participants, participantsTotal) = Publication.Partition([iscg, associations, partners], suppress);
        var waitlistNow = Publication.Single(waitlist, suppress);
        var registeredCount = Publication.Single(registered, suppress);
        IndicatorRow Count(string key, PublishedCount value) => IndicatorRow.For(key, ("count", value.ToString()));

        var tables = new List<IndicatorTable>
        {
            // Sessions and interventions are events, not persons: never suppressed.
            new("sessions", "Sessions de formation commune", ["count"],
            [
                IndicatorRow.For("scheduled", ("count", scheduled.ToString())),
                IndicatorRow.For("held", ("count", held.ToString())),
                IndicatorRow.For("cancelled", ("count", cancelled.ToString())),
            ]),
            new("participants", "Participants aux sessions tenues, par réseau", ["count"],
            [
                Count("iscg", participants[0]), Count("association", participants[1]), Count("partner", participants[2]),
                Count("total", participantsTotal),
            ]),
            new("attendance", "Remplissage, listes d'attente et satisfaction", ["value"],
            [
                IndicatorRow.For("fill-rate", ("value", Publication.Rate(registeredCount, registered, capacity, suppress))),
                IndicatorRow.For("waitlist-now", ("value", waitlistNow.ToString())),
                IndicatorRow.For("mean-satisfaction", ("value", Publication.Statistic(evaluations == 0 ? null : (double)ratingSum / evaluations, evaluations, suppress, 2))),
                IndicatorRow.For("evaluations", ("value", Publication.Single(evaluations, suppress).ToString())),
            ]),
            new("by-departement", "Par département", ["held-sessions", "interventions", "intervention-attendance"],
                [.. byDepartement.Select(departement => IndicatorRow.For(departement.Key,
                    ("held-sessions", departement.Value.Held.ToString()), ("interventions", departement.Value.Interventions.ToString()),
                    ("intervention-attendance", Publication.Single(departement.Value.Attendance, suppress).ToString())))]),
            new("without-joint-training", "Départements couverts sans formation ni intervention commune sur la période", ["covered"],
                [.. covered.Where(departement => byDepartement.GetValueOrDefault(departement) is { Held: 0, Interventions: 0 })
                    .Select(departement => IndicatorRow.For(departement, ("covered", "true")))]),
        };
        return query.View("training", asOf, tables);
    }

    private static DateTimeOffset? Later(DateTimeOffset? known, DateTimeOffset? seen) =>
        known is null ? seen : seen is null ? known : known > seen ? known : seen;
}
