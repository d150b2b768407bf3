using Coordination.Dashboard.Indicators;
using Coordination.Dashboard.Referrals;
using Npgsql;

namespace Coordination.Dashboard.MyOrganisation;

/// <summary>
/// One organisation's hand-offs seen from each side: those it <c>sent</c> and those it <c>received</c> (a hand-off it
/// both sent and received counts on both), plus the training sessions its staff attended. Over whole months from its
/// totals per side, else from the hand-offs themselves (<see cref="ReferralFigures.ScopedRows"/>, the same scope and
/// grouping rules as every other view).
/// </summary>
public sealed class OrganisationFigures
{
    public static readonly string[] Sides = ["sent", "received"];
    private const string Schema = DashboardServiceExtensions.SchemaName;

    /// <summary>Each scoped hand-off once per side the organisation is on.</summary>
    private const string BySide = """
        from scoped cross join lateral (values ('sent', sender_organisation_id = @organisation),
                                              ('received', receiver_organisation_id = @organisation)) side(name, mine)
        where side.mine
        """;

    public Dictionary<string, int[]> Answers { get; } = Sides.ToDictionary(side => side, _ => new int[ReferralFigures.Answers.Length]);
    public Dictionary<string, int> OverdueNow { get; } = Sides.ToDictionary(side => side, _ => 0);
    public Dictionary<(string Side, string Urgency), SideTiming> Timings { get; } = [];
    /// <summary>Codes per dimension (need, decline-reason, outcome), then code, then side.</summary>
    public Dictionary<string, SortedDictionary<string, Dictionary<string, int>>> Codes { get; } = new()
    {
        ["need"] = new(StringComparer.Ordinal), ["decline-reason"] = new(StringComparer.Ordinal), ["outcome"] = new(StringComparer.Ordinal),
    };
    public SortedDictionary<string, Dictionary<string, int>> Trend { get; } = new(StringComparer.Ordinal);
    public int SessionsAttended { get; set; }
    public int StaffAttendances { get; set; }
    public DateTimeOffset? AsOf { get; set; }

    /// <summary>Delays of one urgency tier on one side, in hours, against the tier's deadline (its median over the hand-offs).</summary>
    public sealed record SideTiming(int Count, double? DeadlineHours, int Acknowledged, double? MedianToAcknowledge, double? P90ToAcknowledge,
        int DeadlineKnown, int InTime, int Contacted, double? MedianToFirstContact, double? P90ToFirstContact);

    public int Count(string dimension, string code, string side) =>
        Codes[dimension].GetValueOrDefault(code)?.GetValueOrDefault(side) ?? 0;

    /// <summary>Its totals per side over whole months (<see cref="ReferralIndicators.OrganisationTotals"/>), else its hand-offs.</summary>
    public static Task<OrganisationFigures> Compute(IndicatorQuery query, NpgsqlDataSource db, CancellationToken ct) =>
        ReferralIndicators.OrganisationTotals(query) ? FromTotals(query, db, ct) : FromFacts(query, db, ct);

    /// <summary>
    /// Read from its monthly totals per side (<see cref="ReferralMonthRollup"/>); delays from its hand-offs
    /// (<see cref="ReferralFigures.OrganisationDelayRows"/>, only the statement of the delays reads them): medians are not additive.
    /// </summary>
    public static async Task<OrganisationFigures> FromTotals(IndicatorQuery query, NpgsqlDataSource db, CancellationToken ct)
    {
        const string Months = ReferralFigures.OrganisationMonths, In = ReferralFigures.InOrganisationMonths;
        var figures = new OrganisationFigures();
        await new IndicatorBatch(db, ReferralFigures.OrganisationDelayRows, parameters => ReferralFigures.BindOrganisationMonths(query, parameters))
            .Add($"""
                select side, sum(pending), sum(accepted), sum(declined), sum(redirected), sum(expired), sum(withdrawn),
                       sum(overdue_waiting), max(last_event_at)
                from {Months} where {In} and side in ('sent', 'received') group by side
                """, row =>
                {
                    for (var answer = 0; answer < ReferralFigures.Answers.Length; answer++)
                        figures.Answers[row.GetString(0)][answer] = row.Int(answer + 1);
                    figures.OverdueNow[row.GetString(0)] = row.Int(7);
                    if (row.Instant(8) is { } at && (figures.AsOf is null || at > figures.AsOf)) figures.AsOf = at;
                })
            .Add(TimingsBySide, figures.ReadTiming)
            .Add($"""
                select side, dimension, code, sum(n) from {ReferralFigures.OrganisationCodes}
                where {In} and side in ('sent', 'received') and dimension in ('need', 'decline-reason', 'outcome')
                group by 1, 2, 3 having sum(n) > 0
                """, row => Add(figures.Codes[row.GetString(1)], row.GetString(2), row.GetString(0), row.Int(3)))
            .Add($"""
                select side, to_char(date_trunc(@period, period_start), 'YYYY-MM-DD'), sum(sent)
                from {Months} where {In} and side in ('sent', 'received') group by 1, 2 having sum(sent) > 0
                """, row => Add(figures.Trend, row.GetString(1), row.GetString(0), row.Int(2)), ("period", query.PostgresPeriod))
            .Add(TrainingAttended, figures.ReadTraining)
            .RunAsync(ct);
        return figures;
    }

    /// <summary>Read from its hand-offs themselves (<see cref="ReferralFigures.ScopedRows"/>): what the totals are checked against.</summary>
    public static async Task<OrganisationFigures> FromFacts(IndicatorQuery query, NpgsqlDataSource db, CancellationToken ct)
    {
        var figures = new OrganisationFigures();
        await new IndicatorBatch(db, "", query.Bind)
            .Materialize("scoped", ReferralFigures.ScopedRows)
            .Add($"""
                select side.name, {Schema}.referral_answer(status), count(*),
                       count(*) filter (where {Schema}.referral_overdue_waiting(status, overdue)), max(last_event_at)
                {BySide} group by 1, 2
                """, row =>
                {
                    var index = Array.IndexOf(ReferralFigures.Answers, row.GetString(1));
                    if (index >= 0) figures.Answers[row.GetString(0)][index] = row.Int(2);
                    figures.OverdueNow[row.GetString(0)] += row.Int(3);
                    if (row.Instant(4) is { } at && (figures.AsOf is null || at > figures.AsOf)) figures.AsOf = at;
                })
            .Add(TimingsBySide, figures.ReadTiming)
            .Add($"""
                select side.name, counted.dimension, counted.code, count(*)
                from scoped cross join lateral {Schema}.referral_codes(status, situation, outcome, needs, decline_reasons) counted
                cross join lateral (values ('sent', sender_organisation_id = @organisation),
                                          ('received', receiver_organisation_id = @organisation)) side(name, mine)
                where side.mine and counted.dimension in ('need', 'decline-reason', 'outcome')
                group by 1, 2, 3
                """, row => Add(figures.Codes[row.GetString(1)], row.GetString(2), row.GetString(0), row.Int(3)))
            .Add($"""
                select side.name, to_char(date_trunc(@period, sent_at at time zone 'Europe/Paris'), 'YYYY-MM-DD'), count(*)
                {BySide} group by 1, 2
                """, row => Add(figures.Trend, row.GetString(1), row.GetString(0), row.Int(2)), ("period", query.PostgresPeriod))
            .Add(TrainingAttended, figures.ReadTraining)
            .RunAsync(ct);
        return figures;
    }

    /// <summary>Delays of each urgency tier on each side, against the tier's deadline; medians and p90 exact.</summary>
    private const string TimingsBySide = $"""
        select side.name, urgency, count(*),
               percentile_cont(0.5) within group (order by extract(epoch from acknowledge_by - sent_at)) / 3600,
               count(acknowledged_at),
               percentile_cont(0.5) within group (order by extract(epoch from acknowledged_at - sent_at))
                   filter (where acknowledged_at is not null) / 3600,
               percentile_cont(0.9) within group (order by extract(epoch from acknowledged_at - sent_at))
                   filter (where acknowledged_at is not null) / 3600,
               count(*) filter (where {Schema}.referral_deadline_known(status, acknowledged_at, overdue)),
               count(*) filter (where {Schema}.referral_acknowledged_in_time(acknowledged_at, acknowledge_by)),
               count(first_contact_at),
               percentile_cont(0.5) within group (order by extract(epoch from first_contact_at - sent_at))
                   filter (where first_contact_at is not null) / 3600,
               percentile_cont(0.9) within group (order by extract(epoch from first_contact_at - sent_at))
                   filter (where first_contact_at is not null) / 3600
        {BySide} group by 1, 2
        """;

    private void ReadTiming(NpgsqlDataReader row) => Timings[(row.GetString(0), row.GetString(1))] = new SideTiming(row.Int(2), row.Double(3),
        row.Int(4), row.Double(5), row.Double(6), row.Int(7), row.Int(8), row.Int(9), row.Double(10), row.Double(11));

    // A session held without a list per organisation (older contracts, the synthetic volume) stores it as JSON null.
    private const string TrainingAttended = $"""
        select count(*), coalesce(sum(attended.count), 0)
        from {Schema}.mt_doc_trainingsessionfacts session
        cross join lateral (select (item->>'attended')::int as count
                            from jsonb_array_elements(coalesce(nullif(session.data->'attendedByOrganisation', 'null'::jsonb), '[]'))
                            item where (item->>'organisationId')::uuid = @organisation) attended
        where (session.data->>'held')::boolean and (session.data->>'startsAt')::timestamptz >= @from
          and (session.data->>'startsAt')::timestamptz < @to and attended.count > 0
        """;

    private void ReadTraining(NpgsqlDataReader row) => (SessionsAttended, StaffAttendances) = (row.Int(0), row.Int(1));

    private static void Add(SortedDictionary<string, Dictionary<string, int>> counts, string key, string side, int count)
    {
        if (!counts.TryGetValue(key, out var bySide)) counts[key] = bySide = Sides.ToDictionary(s => s, _ => 0);
        bySide[side] = count;
    }
}
