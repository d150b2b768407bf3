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
            select jsonb_array_elements_text(o.data->'departements') as departement
            from {Schema}.mt_doc_participatingorganisation o where o.id = @organisation),
        sessions as (
            select s.* from {Schema}.mt_doc_trainingsessionfacts s
            where s.starts_at >= @from and s.starts_at < @to
              and (@departement::text is null or s.departement = @departement)
              and (@organisation::uuid is null or s.departement in (select departement from territory))
              and (@audiences::text[] is null or s.data->>'audience' = any(@audiences))),
        interventions as (
            select i.* from {Schema}.mt_doc_jointinterventionfacts i
            where i.on_day >= @from and i.on_day < @to
              and (@departement::text is null or i.departement = @departement)
              and (@organisation::uuid is null or i.departement in (select departement from territory)))
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

    public static async Task<IndicatorView> Compute(IndicatorQuery q, NpgsqlDataSource db, CancellationToken ct)
    {
        int scheduled = 0, held = 0, cancelled = 0, iscg = 0, associations = 0, partners = 0, registered = 0, capacity = 0, waitlist = 0, ratingSum = 0, evaluations = 0;
        DateTimeOffset? asOf = null;
        var byDepartement = new SortedDictionary<string, (int Held, int Interventions, int Attendance)>(StringComparer.Ordinal);
        var covered = new SortedSet<string>(StringComparer.Ordinal);

        void BindScope(NpgsqlParameterCollection p)
        {
            q.Bind(p);
            p.AddWithValue("audiences", NpgsqlDbType.Array | NpgsqlDbType.Text, (object?)Audiences(q.Network) ?? DBNull.Value);
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
                """, r =>
                {
                    (scheduled, held, cancelled) = (r.Int(0), r.Int(1), r.Int(2));
                    (iscg, associations, partners) = (r.Int(3), r.Int(4), r.Int(5));
                    (registered, capacity, waitlist, ratingSum, evaluations) = (r.Int(6), r.Int(7), r.Int(8), r.Int(9), r.Int(10));
                    asOf = Later(asOf, r.Instant(11));
                }, ("now", q.Now.UtcDateTime))
            .Add("select departement, count(*) filter (where (data->>'held')::boolean) from sessions group by departement",
                r => byDepartement[r.GetString(0)] = (r.Int(1), 0, 0))
            .Add("select departement, count(*), coalesce(sum((data->>'attendanceCount')::int), 0), max((data->>'lastEventAt')::timestamptz) from interventions group by departement",
                r =>
                {
                    var d = byDepartement.GetValueOrDefault(r.GetString(0));
                    byDepartement[r.GetString(0)] = (d.Held, r.Int(1), r.Int(2));
                    asOf = Later(asOf, r.Instant(3));
                })
            .Add($"""
                select distinct d from {Schema}.mt_doc_participatingorganisation o, jsonb_array_elements_text(o.data->'departements') d
                where (o.data->>'active')::boolean and (@departement::text is null or d = @departement)
                  and (@organisation::uuid is null or d in (select departement from territory))
                """, r => covered.Add(r.GetString(0)))
            .RunAsync(ct);

        var s = q.Suppress;
        var (participants, participantsTotal) = Publication.Partition([iscg, associations, partners], s);
        var waitlistNow = Publication.Single(waitlist, s);
        var registeredCount = Publication.Single(registered, s);
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
                IndicatorRow.For("fill-rate", ("value", Publication.Rate(registeredCount, registered, capacity, s))),
                IndicatorRow.For("waitlist-now", ("value", waitlistNow.ToString())),
                IndicatorRow.For("mean-satisfaction", ("value", Publication.Statistic(evaluations == 0 ? null : (double)ratingSum / evaluations, evaluations, s, 2))),
                IndicatorRow.For("evaluations", ("value", Publication.Single(evaluations, s).ToString())),
            ]),
            new("by-departement", "Par département", ["held-sessions", "interventions", "intervention-attendance"],
                [.. byDepartement.Select(d => IndicatorRow.For(d.Key,
                    ("held-sessions", d.Value.Held.ToString()), ("interventions", d.Value.Interventions.ToString()),
                    ("intervention-attendance", Publication.Single(d.Value.Attendance, s).ToString())))]),
            new("without-joint-training", "Départements couverts sans formation ni intervention commune sur la période", ["covered"],
                [.. covered.Where(d => byDepartement.GetValueOrDefault(d) is { Held: 0, Interventions: 0 })
                    .Select(d => IndicatorRow.For(d, ("covered", "true")))]),
        };
        return q.View("training", asOf, tables);
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
