using Coordination.Dashboard.Indicators;
using Npgsql;

namespace Coordination.Dashboard.Referrals;

public sealed partial class ReferralFigures
{
    private const string Schema = DashboardServiceExtensions.SchemaName;

    /// <summary>
    /// The hand-offs of a scope (<see cref="IndicatorQuery.Bind"/>): sent in the period, never entered in error, in the
    /// département, sent or received by the organisation, with either side of the network. Kinds come from the
    /// Directory's events at query time, so a hand-off projected before its organisations were known still lands in
    /// the right direction once they are. Every view that reads hand-offs one by one starts from these rows.
    /// </summary>
    public const string ScopedRows = $"""
        select fact.id, fact.sent_at, fact.sender_organisation_id, fact.receiver_organisation_id, fact.departement, fact.status,
               fact.urgency, fact.acknowledged_at, fact.acknowledge_by, fact.first_contact_at, fact.outcome, fact.situation,
               fact.last_event_at, fact.overdue, fact.data->'needs' as needs, fact.data->'declineReasons' as decline_reasons,
               coalesce(sender.data->>'kind', 'unknown') as sender_kind, coalesce(receiver.data->>'kind', 'unknown') as receiver_kind
        from {Schema}.mt_doc_referralfacts fact
        left join {Schema}.mt_doc_participatingorganisation sender on sender.id = fact.sender_organisation_id
        left join {Schema}.mt_doc_participatingorganisation receiver on receiver.id = fact.receiver_organisation_id
        where fact.sent_at >= @from and fact.sent_at < @to and {Schema}.referral_answer(fact.status) is not null
          and (@departement::text is null or fact.departement = @departement)
          and (@organisation::uuid is null or fact.sender_organisation_id = @organisation or fact.receiver_organisation_id = @organisation)
          and (@kind::text is null or sender.data->>'kind' = @kind or receiver.data->>'kind' = @kind)
        """;

    /// <summary>
    /// The rows of an organisation's hand-offs that its delays need (its views' other figures come from the totals): the
    /// same scope as <see cref="ScopedRows"/> for an organisation without département or network. Those it sent, then
    /// those it received from others, each read from the index on that side alone (it holds every column used here).
    /// </summary>
    public const string OrganisationDelayRows = $"""
        with scoped as (
            select sent_at, sender_organisation_id, receiver_organisation_id, status, urgency, acknowledged_at, acknowledge_by,
                   first_contact_at, overdue
            from {Schema}.mt_doc_referralfacts
            where sender_organisation_id = @organisation
              and sent_at >= @from and sent_at < @to and {Schema}.referral_answer(status) is not null
            union all
            select sent_at, sender_organisation_id, receiver_organisation_id, status, urgency, acknowledged_at, acknowledge_by,
                   first_contact_at, overdue
            from {Schema}.mt_doc_referralfacts
            where receiver_organisation_id = @organisation and sender_organisation_id <> @organisation
              and sent_at >= @from and sent_at < @to and {Schema}.referral_answer(status) is not null)
        """;

    /// <summary>Delays and deadlines per urgency tier, over the scoped rows; medians and p90 exact.</summary>
    private const string TimingsByUrgency = $"""
        select urgency, count(*),
               count(acknowledged_at),
               percentile_cont(0.5) within group (order by extract(epoch from acknowledged_at - sent_at))
                   filter (where acknowledged_at is not null),
               percentile_cont(0.9) within group (order by extract(epoch from acknowledged_at - sent_at))
                   filter (where acknowledged_at is not null),
               count(*) filter (where {Schema}.referral_deadline_known(status, acknowledged_at, overdue)),
               count(*) filter (where {Schema}.referral_acknowledged_in_time(acknowledged_at, acknowledge_by)),
               count(first_contact_at),
               percentile_cont(0.5) within group (order by extract(epoch from first_contact_at - sent_at))
                   filter (where first_contact_at is not null),
               percentile_cont(0.9) within group (order by extract(epoch from first_contact_at - sent_at))
                   filter (where first_contact_at is not null)
        from scoped group by urgency
        """;

    private void ReadTiming(NpgsqlDataReader row) => Timings[row.GetString(0)] = new Timing(
        Sent: row.Int(1), Acknowledged: row.Int(2), MedianSecondsToAcknowledge: row.Double(3), P90SecondsToAcknowledge: row.Double(4),
        DeadlineKnown: row.Int(5), InTime: row.Int(6),
        Contacted: row.Int(7), MedianSecondsToFirstContact: row.Double(8), P90SecondsToFirstContact: row.Double(9));

    /// <summary>Counted from the hand-offs of the scope, copied once into a temporary table every statement reads.</summary>
    public static async Task<ReferralFigures> FromFacts(IndicatorQuery query, NpgsqlDataSource db, CancellationToken ct)
    {
        var figures = new ReferralFigures();

        await new IndicatorBatch(db, "", query.Bind)
            .Materialize("scoped", ScopedRows)
            .Add($"""
                select {Schema}.referral_direction(sender_kind, receiver_kind),
                       count(*) filter (where @organisation::uuid is null or sender_organisation_id = @organisation),
                       count(*) filter (where @organisation::uuid is null or receiver_organisation_id = @organisation)
                from scoped group by 1
                """, row => figures.DirectionCounts[row.GetString(0)] = (row.Int(1), row.Int(2)))
            .Add($"""
                select count(*), count(*) filter (where {Schema}.referral_overdue_waiting(status, overdue)), max(last_event_at)
                from scoped
                """, row => (figures.Total, figures.OverdueNow, figures.AsOf) = (row.Int(0), row.Int(1), row.Instant(2)))
            .Add($"select {Schema}.referral_answer(status), count(*) from scoped group by 1",
                row => figures.CountAnswer(row.GetString(0), row.Int(1)))
            .Add($"""
                select counted.dimension, counted.code, count(*)
                from scoped, {Schema}.referral_codes(status, situation, outcome, needs, decline_reasons) counted
                group by 1, 2
                """, row => figures.CountCode(row.GetString(0), row.GetString(1), row.Int(2)))
            .Add(TimingsByUrgency, figures.ReadTiming)
            .Add("""
                select to_char(date_trunc(@period, sent_at at time zone 'Europe/Paris'), 'YYYY-MM-DD'), count(*)
                from scoped group by 1 order by 1
                """, row => figures.Series.Add((row.GetString(0), row.Int(1))), ("period", query.PostgresPeriod))
            .RunAsync(ct);
        return figures;
    }
}
