using Coordination.Dashboard.Indicators;
using Coordination.Dashboard.Privacy;
using Npgsql;

namespace Coordination.Dashboard.Referrals;

/// <summary>
/// Median and p90 hours to acknowledgement and to first contact (nearest rank, rounded to 0.1 h) and the share
/// acknowledged in time, per urgency tier, over the same scope and access rule as every indicator view.
/// </summary>
public static class ReferralTimingsEndpoint
{
    private sealed record Tier(int Sent, int Acknowledged, double? MedianToAcknowledge, double? P90ToAcknowledge, int InTime,
        int Contacted, double? MedianToFirstContact, double? P90ToFirstContact);

    public static RouteGroupBuilder MapReferralTimings(this RouteGroupBuilder group)
    {
        group.MapGet("/referral-timings", (HttpContext http, NpgsqlDataSource db, TimeProvider time, CancellationToken ct) =>
                IndicatorQuery.Answer(http, time, async query => TypedResults.Ok(await Compute(query, db, ct))))
            .WithName("GetReferralTimings")
            .WithSummary("Median and p90 hours to acknowledgement and first contact, share acknowledged in time, per urgency tier.");
        return group;
    }

    public static async Task<ReferralTimings> Compute(IndicatorQuery query, NpgsqlDataSource db, CancellationToken ct)
    {
        const string Schema = DashboardServiceExtensions.SchemaName;
        var tiers = new Dictionary<string, Tier>();
        // Nearest-rank percentiles (percentile_disc) computed by PostgreSQL: no document is loaded.
        await new IndicatorBatch(db, "", query.Bind)
            .Materialize("scoped", ReferralFigures.ScopedRows)
            .Add($"""
                select urgency, count(*), count(acknowledged_at),
                       percentile_disc(0.5) within group (order by extract(epoch from acknowledged_at - sent_at) / 3600)
                           filter (where acknowledged_at is not null),
                       percentile_disc(0.9) within group (order by extract(epoch from acknowledged_at - sent_at) / 3600)
                           filter (where acknowledged_at is not null),
                       count(*) filter (where {Schema}.referral_acknowledged_in_time(acknowledged_at, acknowledge_by)),
                       count(first_contact_at),
                       percentile_disc(0.5) within group (order by extract(epoch from first_contact_at - sent_at) / 3600)
                           filter (where first_contact_at is not null),
                       percentile_disc(0.9) within group (order by extract(epoch from first_contact_at - sent_at) / 3600)
                           filter (where first_contact_at is not null)
                from scoped group by urgency
                """, row =>
                {
                    double? Hours(int ordinal) => row.Double(ordinal) is { } hours ? Math.Round(hours, 1) : null;
                    tiers[row.GetString(0)] = new Tier(row.Int(1), row.Int(2), Hours(3), Hours(4), row.Int(5), row.Int(6), Hours(7), Hours(8));
                })
            .RunAsync(ct);

        // Rates and times over fewer than 11 hand-offs could point at a few people: not shown when suppressed.
        bool Enough(int persons) => !query.Suppress || persons >= SmallCellSuppression.Threshold;
        var rows = ReferralFigures.Urgencies.Select(urgency =>
        {
            var tier = tiers.GetValueOrDefault(urgency) ?? new Tier(0, 0, null, null, 0, 0, null, null);
            var acknowledged = Enough(tier.Acknowledged);
            var contacted = Enough(tier.Contacted);
            return new ReferralTimings.Row(urgency, Publication.Single(tier.Sent, query.Suppress).ToString(),
                acknowledged ? tier.MedianToAcknowledge : null, acknowledged ? tier.P90ToAcknowledge : null,
                Enough(tier.Sent) && tier.Sent > 0 ? Math.Round((double)tier.InTime / tier.Sent, 3) : null,
                contacted ? tier.MedianToFirstContact : null, contacted ? tier.P90ToFirstContact : null);
        }).ToList();
        return new ReferralTimings(query.Scope, query.From, query.To, rows);
    }
}
