using Coordination.Dashboard.Indicators;
using Coordination.Dashboard.Privacy;
using Npgsql;
using NpgsqlTypes;

namespace Coordination.Dashboard.Referrals;

/// <summary>
/// The hand-off indicators of a scope and period: directions, answers and their rates, currently overdue, decline
/// reasons, needs, situations, outcomes, timings per urgency tier and a series per day/week/month/year. Hand-offs
/// are counted by the date they were sent; one hand-off is one person.
/// </summary>
public static class ReferralIndicators
{
    public static readonly string[] Directions = ["iscg-to-association", "association-to-iscg", "to-partner", "from-partner", "other"];
    public static readonly string[] Answers = ["pending", "accepted", "declined", "redirected", "expired", "withdrawn"];
    public static readonly string[] Urgencies = ["immediate", "within-24-hours", "standard"];

    private const string Facts = DashboardServiceExtensions.SchemaName + ".mt_doc_referralfacts";
    private const string Organisations = DashboardServiceExtensions.SchemaName + ".mt_doc_participatingorganisation";

    // Kinds come from the Directory's events at query time, so a hand-off projected before its organisations were
    // known still lands in the right direction once they are.
    private const string ScopedRows = $"""
        select f.id, f.sent_at, f.sender_organisation_id, f.receiver_organisation_id, f.departement, f.status, f.urgency,
               f.acknowledged_at, f.acknowledge_by, f.first_contact_at, f.outcome, f.situation, f.last_event_at, f.overdue,
               f.data->'needs' as needs, f.data->'declineReasons' as decline_reasons,
               coalesce(s.data->>'kind', 'unknown') as sender_kind, coalesce(r.data->>'kind', 'unknown') as receiver_kind
        from {Facts} f
        left join {Organisations} s on s.id = f.sender_organisation_id
        left join {Organisations} r on r.id = f.receiver_organisation_id
        where f.sent_at >= @from and f.sent_at < @to and f.status <> 'entered-in-error'
          and (@departement::text is null or f.departement = @departement)
          and (@organisation::uuid is null or f.sender_organisation_id = @organisation or f.receiver_organisation_id = @organisation)
          and (@kind::text is null or s.data->>'kind' = @kind or r.data->>'kind' = @kind)
        """;

    public static RouteGroupBuilder MapReferralIndicators(this RouteGroupBuilder group)
    {
        group.MapIndicatorView("referrals", "GetReferralIndicators", "Hand-off indicators for a period, département, organisation and network (suppressed for national views).", Compute);
        return group;
    }

    public static void BindScope(IndicatorQuery q, NpgsqlParameterCollection p)
    {
        p.AddWithValue("from", NpgsqlDbType.TimestampTz, q.From.UtcDateTime);
        p.AddWithValue("to", NpgsqlDbType.TimestampTz, q.To.UtcDateTime);
        p.AddWithValue("departement", NpgsqlDbType.Text, (object?)q.Departement ?? DBNull.Value);
        p.AddWithValue("organisation", NpgsqlDbType.Uuid, (object?)q.Organisation ?? DBNull.Value);
        p.AddWithValue("kind", NpgsqlDbType.Text, (object?)q.NetworkKind ?? DBNull.Value);
    }

    public static async Task<IndicatorView> Compute(IndicatorQuery q, NpgsqlDataSource db, CancellationToken ct)
    {
        var f = TotalsGrain(q) is { } grain ? await FromTotals(q, grain, db, ct) : await FromFacts(q, db, ct);
        var (directions, answers, total, overdueNow, asOf) = (f.Directions, f.Answers, f.Total, f.OverdueNow, f.AsOf);
        var (declineReasons, needs, situations, outcomes, timings, series) = (f.DeclineReasons, f.Needs, f.Situations, f.Outcomes, f.Timings, f.Series);
        var s = q.Suppress;
        var tables = new List<IndicatorTable>();

        // Directions: a table of persons whose column sums are published (the total below), hence full suppression.
        var directionCounts = new int[Directions.Length, 2];
        for (var i = 0; i < Directions.Length; i++) (directionCounts[i, 0], directionCounts[i, 1]) = directions[Directions[i]];
        var directionTable = s ? SmallCellSuppression.Apply(directionCounts) : null;
        tables.Add(new IndicatorTable("directions", "Orientations par sens", ["sent", "received"],
            [.. Directions.Select((d, i) => Row(d, ("sent", directionTable?.Cells[i, 0].ToString() ?? directionCounts[i, 0].ToString()),
                ("received", directionTable?.Cells[i, 1].ToString() ?? directionCounts[i, 1].ToString())))]));

        var (answerCells, answerTotal) = Publication.Partition(answers, s);
        tables.Add(new IndicatorTable("answers", "Réponses aux orientations", ["count", "rate"],
        [
            .. Answers.Select((a, i) => Row(a, ("count", answerCells[i].ToString()), ("rate", Publication.Rate(answerCells[i], answers[i], total, s)))),
            Row("total", ("count", answerTotal.ToString()), ("rate", null)),
        ]));

        tables.Add(new IndicatorTable("overdue", "Orientations en retard", ["count"],
            [Row("overdue-now", ("count", Publication.Single(overdueNow, s).ToString()))]));

        tables.Add(CountList("decline-reasons", "Motifs de refus (plusieurs possibles)", declineReasons, s));
        tables.Add(CountList("needs", "Besoins exprimés (plusieurs possibles)", needs, s));
        tables.Add(PartitionList("situations", "Situations", situations, s));
        tables.Add(PartitionList("outcomes", "Issues des accompagnements terminés", outcomes, s));

        tables.Add(new IndicatorTable("timings", "Délais par niveau d'urgence (heures)",
            ["sent", "median-hours-to-acknowledge", "p90-hours-to-acknowledge", "share-acknowledged-in-time", "median-hours-to-first-contact", "p90-hours-to-first-contact"],
            [.. Urgencies.Select(u =>
            {
                var t = timings.GetValueOrDefault(u) ?? new Timing(0, 0, null, null, 0, 0, 0, null, null);
                var inTime = Publication.Single(t.InTime, s);
                return Row(u,
                    ("sent", Publication.Single(t.Sent, s).ToString()),
                    ("median-hours-to-acknowledge", Publication.Statistic(t.MedianSecondsToAcknowledge / 3600, t.Acknowledged, s)),
                    ("p90-hours-to-acknowledge", Publication.Statistic(t.P90SecondsToAcknowledge / 3600, t.Acknowledged, s)),
                    ("share-acknowledged-in-time", Publication.Rate(inTime, t.InTime, t.DeadlineKnown, s)),
                    ("median-hours-to-first-contact", Publication.Statistic(t.MedianSecondsToFirstContact / 3600, t.Contacted, s)),
                    ("p90-hours-to-first-contact", Publication.Statistic(t.P90SecondsToFirstContact / 3600, t.Contacted, s)));
            })]));

        var (bucketCells, _) = Publication.Partition([.. series.Select(b => b.Sent)], s);
        tables.Add(new IndicatorTable("series", "Orientations envoyées par période", ["sent"],
            [.. series.Select((b, i) => new IndicatorRow(b.Bucket, b.Bucket, new Dictionary<string, string?> { ["sent"] = bucketCells[i].ToString() }))]));

        return q.View("referrals", asOf, tables);
    }

    /// <summary>
    /// National and département views over whole months read the monthly totals (<see cref="ReferralMonthRollup"/>),
    /// national views over whole days the national daily totals; an organisation's view, a network filter, a
    /// département's days or a range that cuts a day read the hand-offs themselves.
    /// </summary>
    public static string? TotalsGrain(IndicatorQuery q)
    {
        if (q.Organisation is not null || q.Network is not null || !IsDayStart(q.From) || !IsDayStart(q.To)) return null;
        if (q.Scope is "national" or "departement" && q.Period is Period.Month or Period.Year && IsMonthStart(q.From) && IsMonthStart(q.To)) return "m";
        return q.Scope == "national" ? "d" : null;
    }

    private static bool IsDayStart(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, ParisTime.Zone) is { Hour: 0, Minute: 0, Second: 0, Millisecond: 0 };

    private static bool IsMonthStart(DateTimeOffset instant) => IsDayStart(instant) && TimeZoneInfo.ConvertTime(instant, ParisTime.Zone).Day == 1;


    private static async Task<Figures> FromTotals(IndicatorQuery q, string grain, NpgsqlDataSource db, CancellationToken ct)
    {
        const string Months = $"{DashboardServiceExtensions.SchemaName}.referral_months";
        const string Codes = $"{DashboardServiceExtensions.SchemaName}.referral_month_codes";
        const string Delays = $"{DashboardServiceExtensions.SchemaName}.referral_month_delays";
        const string InRange = "grain = @grain and period_start >= @fromDay and period_start < @toDay and departement = coalesce(@departement::text, '*')";
        var f = new Figures();
        var deadlineKnown = new Dictionary<string, int>();
        var overdueByUrgency = new Dictionary<string, int>();
        var delays = new Dictionary<(string Urgency, string Measure), List<(int Bucket, int Count)>>();
        var perUrgency = new Dictionary<string, (int Sent, int Acknowledged, int InTime, int ClosedUnacknowledged, int Contacted)>();

        void Bind(NpgsqlParameterCollection p)
        {
            BindScope(q, p);
            p.AddWithValue("grain", NpgsqlDbType.Text, grain);
            p.AddWithValue("fromDay", NpgsqlDbType.Date, ParisTime.DayOf(q.From));
            p.AddWithValue("toDay", NpgsqlDbType.Date, ParisTime.DayOf(q.To));
            p.AddWithValue("now", NpgsqlDbType.TimestampTz, q.Now.UtcDateTime);
        }

        await new IndicatorBatch(db, "", Bind)
            .Add($"select direction, sum(sent) from {Months} where {InRange} group by direction",
                r => f.Directions[r.GetString(0)] = (r.Int(1), r.Int(1)))
            .Add($"select sum(sent), sum(pending), sum(accepted), sum(declined), sum(redirected), sum(expired), sum(withdrawn) from {Months} where {InRange}", r =>
            {
                f.Total = r.Int(0);
                for (var i = 0; i < Answers.Length; i++) f.Answers[i] = r.Int(i + 1);
            })
            .Add($"select dimension, code, sum(n) from {Codes} where {InRange} group by 1, 2 having sum(n) > 0", r =>
            {
                var target = r.GetString(0) switch { "need" => f.Needs, "decline-reason" => f.DeclineReasons, "situation" => f.Situations, _ => f.Outcomes };
                target[r.GetString(1)] = r.Int(2);
            })
            .Add($"select urgency, sum(sent), sum(acknowledged), sum(in_time), sum(closed_unacknowledged), sum(contacted), sum(overdue_waiting) from {Months} where {InRange} group by urgency",
                r =>
                {
                    perUrgency[r.GetString(0)] = (r.Int(1), r.Int(2), r.Int(3), r.Int(4), r.Int(5));
                    overdueByUrgency[r.GetString(0)] = r.Int(6);
                })
            .Add($"select urgency, measure, bucket, sum(n) from {Delays} where {InRange} group by 1, 2, 3 having sum(n) > 0 order by 1, 2, 3", r =>
            {
                var key = (r.GetString(0), r.GetString(1));
                if (!delays.TryGetValue(key, out var list)) delays[key] = list = [];
                list.Add((r.GetInt32(2), r.Int(3)));
            })
            // The latest event reflected, found backwards through the index on last_event_at.
            .Add($"""
                select last_event_at from {Facts}
                where last_event_at is not null and sent_at >= @from and sent_at < @to and status <> 'entered-in-error'
                  and (@departement::text is null or departement = @departement)
                order by last_event_at desc limit 1
                """, r => f.AsOf = r.Instant(0))
            .Add($"select to_char(date_trunc(@period, period_start), 'YYYY-MM-DD'), sum(sent) from {Months} where {InRange} group by 1 having sum(sent) > 0 order by 1",
                r => f.Series.Add((r.GetString(0), r.Int(1))), ("period", q.PostgresPeriod))
            .RunAsync(ct);

        f.OverdueNow = overdueByUrgency.Values.Sum();
        foreach (var (urgency, u) in perUrgency)
        {
            double? Quantile(string measure, double share)
            {
                if (!delays.TryGetValue((urgency, measure), out var buckets)) return null;
                var total = buckets.Sum(b => b.Count);
                var cumulative = 0;
                foreach (var (bucket, count) in buckets)
                    if ((cumulative += count) >= share * total) return ReferralMonthRollup.BucketSeconds(bucket);
                return null;
            }
            f.Timings[urgency] = new Timing(u.Sent, u.Acknowledged, Quantile("acknowledge", 0.5), Quantile("acknowledge", 0.9),
                u.Acknowledged + u.ClosedUnacknowledged + overdueByUrgency.GetValueOrDefault(urgency), u.InTime, u.Contacted,
                Quantile("first-contact", 0.5), Quantile("first-contact", 0.9));
        }
        return f;
    }

    private static async Task<Figures> FromFacts(IndicatorQuery q, NpgsqlDataSource db, CancellationToken ct)
    {
        var f = new Figures();

        await new IndicatorBatch(db, "", p => BindScope(q, p))
            .Materialize("scoped", ScopedRows)
            .Add($"""
                select {DashboardServiceExtensions.SchemaName}.referral_direction(sender_kind, receiver_kind),
                       count(*) filter (where @organisation::uuid is null or sender_organisation_id = @organisation),
                       count(*) filter (where @organisation::uuid is null or receiver_organisation_id = @organisation)
                from scoped group by 1
                """, r => f.Directions[r.GetString(0)] = (r.Int(1), r.Int(2)))
            .Add("""
                select count(*),
                       count(*) filter (where status in ('sent', 'acknowledged', 'on-hold')),
                       count(*) filter (where status in ('accepted', 'in-progress', 'completed')),
                       count(*) filter (where status = 'declined'),
                       count(*) filter (where status = 'redirected'),
                       count(*) filter (where status = 'expired'),
                       count(*) filter (where status = 'withdrawn'),
                       count(*) filter (where status = 'sent' and overdue),
                       max(last_event_at)
                from scoped
                """, r =>
                {
                    f.Total = r.Int(0);
                    for (var i = 0; i < Answers.Length; i++) f.Answers[i] = r.Int(i + 1);
                    f.OverdueNow = r.Int(7);
                    f.AsOf = r.Instant(8);
                }, ("now", q.Now.UtcDateTime))
            .Add("select reason, count(*) from scoped, jsonb_array_elements_text(scoped.decline_reasons) reason where status = 'declined' group by reason",
                r => f.DeclineReasons[r.GetString(0)] = r.Int(1))
            .Add("select need, count(*) from scoped, jsonb_array_elements_text(scoped.needs) need group by need",
                r => f.Needs[r.GetString(0)] = r.Int(1))
            .Add("select coalesce(situation, 'unknown'), count(*) from scoped group by 1", r => f.Situations[r.GetString(0)] = r.Int(1))
            .Add("select outcome, count(*) from scoped where status = 'completed' and outcome is not null group by outcome",
                r => f.Outcomes[r.GetString(0)] = r.Int(1))
            .Add("""
                select urgency, count(*),
                       count(acknowledged_at),
                       percentile_cont(0.5) within group (order by extract(epoch from acknowledged_at - sent_at)) filter (where acknowledged_at is not null),
                       percentile_cont(0.9) within group (order by extract(epoch from acknowledged_at - sent_at)) filter (where acknowledged_at is not null),
                       count(*) filter (where acknowledged_at is not null or status in ('expired', 'withdrawn') or (status = 'sent' and overdue)),
                       count(*) filter (where acknowledged_at <= acknowledge_by),
                       count(first_contact_at),
                       percentile_cont(0.5) within group (order by extract(epoch from first_contact_at - sent_at)) filter (where first_contact_at is not null),
                       percentile_cont(0.9) within group (order by extract(epoch from first_contact_at - sent_at)) filter (where first_contact_at is not null)
                from scoped group by urgency
                """, r => f.Timings[r.GetString(0)] = new Timing(r.Int(1), r.Int(2), r.Double(3), r.Double(4), r.Int(5), r.Int(6), r.Int(7), r.Double(8), r.Double(9)),
                ("now", q.Now.UtcDateTime))
            .Add("""
                select to_char(date_trunc(@period, sent_at at time zone 'Europe/Paris'), 'YYYY-MM-DD'), count(*)
                from scoped group by 1 order by 1
                """, r => f.Series.Add((r.GetString(0), r.Int(1))), ("period", q.PostgresPeriod))
            .RunAsync(ct);
        return f;
    }

    /// <summary>What both ways of counting produce, before publication.</summary>
    private sealed class Figures
    {
        public Dictionary<string, (int Sent, int Received)> Directions { get; } = ReferralIndicators.Directions.ToDictionary(d => d, _ => (0, 0));
        public int[] Answers { get; } = new int[ReferralIndicators.Answers.Length];
        public int Total { get; set; }
        public int OverdueNow { get; set; }
        public DateTimeOffset? AsOf { get; set; }
        public Dictionary<string, int> DeclineReasons { get; } = [];
        public Dictionary<string, int> Needs { get; } = [];
        public Dictionary<string, int> Situations { get; } = [];
        public Dictionary<string, int> Outcomes { get; } = [];
        public Dictionary<string, Timing> Timings { get; } = [];
        public List<(string Bucket, int Sent)> Series { get; } = [];
    }

    private sealed record Timing(int Sent, int Acknowledged, double? MedianSecondsToAcknowledge, double? P90SecondsToAcknowledge,
        int DeadlineKnown, int InTime, int Contacted, double? MedianSecondsToFirstContact, double? P90SecondsToFirstContact);

    public static IndicatorRow Row(string key, params (string Column, string? Value)[] values) =>
        new(key, Labels.For(key), values.ToDictionary(v => v.Column, v => v.Value));

    /// <summary>A list whose items may overlap (several needs per person): each count on its own, primary suppression.</summary>
    public static IndicatorTable CountList(string name, string title, Dictionary<string, int> counts, bool suppress) =>
        new(name, title, ["count"], [.. counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => Row(c.Key, ("count", Publication.Single(c.Value, suppress).ToString())))]);

    /// <summary>A partition with its total: primary and secondary suppression.</summary>
    public static IndicatorTable PartitionList(string name, string title, Dictionary<string, int> counts, bool suppress)
    {
        var ordered = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        var (cells, total) = Publication.Partition([.. ordered.Select(c => c.Value)], suppress);
        return new IndicatorTable(name, title, ["count"],
            [.. ordered.Select((c, i) => Row(c.Key, ("count", cells[i].ToString()))), Row("total", ("count", total.ToString()))]);
    }
}
