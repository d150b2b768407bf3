using Coordination.Dashboard.Indicators;
using Npgsql;
using NpgsqlTypes;

namespace Coordination.Dashboard.Referrals;

public sealed partial class ReferralFigures
{
    /// <summary>
    /// One organisation's view over whole months, read from its totals (<see cref="ReferralMonthRollup"/>, per organisation
    /// and side): directions from the sides it sent and received on, everything else from each of its hand-offs once
    /// (side <c>*</c>). Delays from its hand-offs (<see cref="OrganisationDelayRows"/>): medians are not additive.
    /// </summary>
    public static async Task<ReferralFigures> FromOrganisationTotals(IndicatorQuery query, NpgsqlDataSource db, CancellationToken ct)
    {
        var figures = new ReferralFigures();
        // The rows of its delays as a common table expression: only the statement of the delays reads them.
        await new IndicatorBatch(db, OrganisationDelayRows, parameters => BindOrganisationMonths(query, parameters))
            .Add($"""
                select direction, sum(sent) filter (where side = 'sent'), sum(sent) filter (where side = 'received')
                from {OrganisationMonths} where {InOrganisationMonths} and side in ('sent', 'received') group by direction
                """, row => figures.DirectionCounts[row.GetString(0)] = (row.Int(1), row.Int(2)))
            .Add($"""
                select sum(sent), sum(overdue_waiting), max(last_event_at),
                       sum(pending), sum(accepted), sum(declined), sum(redirected), sum(expired), sum(withdrawn)
                from {OrganisationMonths} where {InOrganisationMonths} and side = '*'
                """, row =>
                {
                    (figures.Total, figures.OverdueNow, figures.AsOf) = (row.Int(0), row.Int(1), row.Instant(2));
                    for (var answer = 0; answer < Answers.Length; answer++) figures.AnswerCounts[answer] = row.Int(answer + 3);
                })
            .Add($"""
                select dimension, code, sum(n) from {OrganisationCodes} where {InOrganisationMonths} and side = '*'
                group by 1, 2 having sum(n) > 0
                """, row => figures.CountCode(row.GetString(0), row.GetString(1), row.Int(2)))
            .Add($"""
                select to_char(date_trunc(@period, period_start), 'YYYY-MM-DD'), sum(sent)
                from {OrganisationMonths} where {InOrganisationMonths} and side = '*'
                group by 1 having sum(sent) > 0 order by 1
                """, row => figures.Series.Add((row.GetString(0), row.Int(1))), ("period", query.PostgresPeriod))
            .Add(TimingsByUrgency, figures.ReadTiming)
            .RunAsync(ct);
        return figures;
    }

    public const string OrganisationMonths = $"{Schema}.referral_organisation_months";
    public const string OrganisationCodes = $"{Schema}.referral_organisation_codes";

    /// <summary>An organisation's cells of the query's months (<see cref="BindOrganisationMonths"/>).</summary>
    public const string InOrganisationMonths = "organisation = @organisation and period_start >= @fromDay and period_start < @toDay";

    public static void BindOrganisationMonths(IndicatorQuery query, NpgsqlParameterCollection parameters)
    {
        query.Bind(parameters);
        parameters.AddWithValue("fromDay", NpgsqlDbType.Date, ParisTime.DayOf(query.From));
        parameters.AddWithValue("toDay", NpgsqlDbType.Date, ParisTime.DayOf(query.To));
    }
}
