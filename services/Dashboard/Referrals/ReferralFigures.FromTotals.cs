using Coordination.Dashboard.Indicators;
using Npgsql;
using NpgsqlTypes;

namespace Coordination.Dashboard.Referrals;

public sealed partial class ReferralFigures
{
    /// <summary>
    /// Read from the totals <see cref="ReferralMonthRollup"/> keeps: <paramref name="grain"/> <c>m</c> for months
    /// (national or a département), <c>d</c> for national days; national ones for a network too. Medians and p90 come
    /// from the delay buckets.
    /// </summary>
    public static async Task<ReferralFigures> FromTotals(IndicatorQuery query, string grain, NpgsqlDataSource db, CancellationToken ct)
    {
        const string Months = $"{Schema}.referral_months";
        const string Codes = $"{Schema}.referral_month_codes";
        const string Delays = $"{Schema}.referral_month_delays";
        const string InRange =
            """
            grain = @grain and departement = coalesce(@departement::text, '*') and network = coalesce(@kind::text, '*')
            and period_start >= @fromDay and period_start < @toDay
            """;
        var figures = new ReferralFigures();
        var overdueByUrgency = new Dictionary<string, int>();
        var delays = new Dictionary<(string Urgency, string Measure), List<(int Bucket, int Count)>>();
        var perUrgency = new Dictionary<string, (int Sent, int Acknowledged, int InTime, int ClosedUnacknowledged, int Contacted)>();

        void Bind(NpgsqlParameterCollection parameters)
        {
            query.Bind(parameters);
            parameters.AddWithValue("grain", NpgsqlDbType.Text, grain);
            parameters.AddWithValue("fromDay", NpgsqlDbType.Date, ParisTime.DayOf(query.From));
            parameters.AddWithValue("toDay", NpgsqlDbType.Date, ParisTime.DayOf(query.To));
        }

        await new IndicatorBatch(db, "", Bind)
            // The totals know one side only: nationally and per département, what was sent was also received.
            .Add($"select direction, sum(sent) from {Months} where {InRange} group by direction",
                row => figures.DirectionCounts[row.GetString(0)] = (row.Int(1), row.Int(1)))
            .Add($"""
                select sum(sent), sum(pending), sum(accepted), sum(declined), sum(redirected), sum(expired), sum(withdrawn)
                from {Months} where {InRange}
                """,
                row =>
                {
                    figures.Total = row.Int(0);
                    for (var answer = 0; answer < Answers.Length; answer++) figures.AnswerCounts[answer] = row.Int(answer + 1);
                })
            .Add($"select dimension, code, sum(n) from {Codes} where {InRange} group by 1, 2 having sum(n) > 0",
                row => figures.CountCode(row.GetString(0), row.GetString(1), row.Int(2)))
            .Add($"""
                select urgency, sum(sent), sum(acknowledged), sum(in_time), sum(closed_unacknowledged), sum(contacted), sum(overdue_waiting)
                from {Months} where {InRange} group by urgency
                """, row =>
                {
                    perUrgency[row.GetString(0)] = (row.Int(1), row.Int(2), row.Int(3), row.Int(4), row.Int(5));
                    overdueByUrgency[row.GetString(0)] = row.Int(6);
                })
            .Add($"select urgency, measure, bucket, sum(n) from {Delays} where {InRange} group by 1, 2, 3 having sum(n) > 0 order by 1, 2, 3",
                row =>
                {
                    var key = (row.GetString(0), row.GetString(1));
                    if (!delays.TryGetValue(key, out var buckets)) delays[key] = buckets = [];
                    buckets.Add((row.GetInt32(2), row.Int(3)));
                })
            // The latest event reflected, kept with the totals: a backwards scan of every newer hand-off for a past
            // period (the year before of a comparison) took seconds.
            .Add($"select max(last_event_at) from {Months} where {InRange}", row => figures.AsOf = row.Instant(0))
            .Add($"""
                select to_char(date_trunc(@period, period_start), 'YYYY-MM-DD'), sum(sent) from {Months} where {InRange}
                group by 1 having sum(sent) > 0 order by 1
                """, row => figures.Series.Add((row.GetString(0), row.Int(1))), ("period", query.PostgresPeriod))
            .RunAsync(ct);

        figures.OverdueNow = overdueByUrgency.Values.Sum();
        foreach (var (urgency, counts) in perUrgency)
        {
            double? Quantile(string measure, double share)
            {
                if (!delays.TryGetValue((urgency, measure), out var buckets)) return null;
                var measured = buckets.Sum(bucket => bucket.Count);
                var cumulative = 0;
                foreach (var (bucket, count) in buckets)
                    if ((cumulative += count) >= share * measured) return ReferralMonthRollup.BucketSeconds(bucket);
                return null;
            }
            var deadlineKnown = counts.Acknowledged + counts.ClosedUnacknowledged + overdueByUrgency.GetValueOrDefault(urgency);
            figures.Timings[urgency] = new Timing(counts.Sent, counts.Acknowledged, Quantile("acknowledge", 0.5), Quantile("acknowledge", 0.9),
                deadlineKnown, counts.InTime, counts.Contacted, Quantile("first-contact", 0.5), Quantile("first-contact", 0.9));
        }
        return figures;
    }
}
