using Coordination.Dashboard.Indicators;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Npgsql;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordination.Dashboard.Referrals;

/// <summary>How fast hand-offs are picked up, per urgency tier. Figures over fewer than 11 hand-offs are not shown (null).</summary>
public sealed record ReferralTimingsRow(
    string Urgency, string Sent, double? MedianHoursToAcknowledge, double? P90HoursToAcknowledge, double? ShareAcknowledgedInTime,
    double? MedianHoursToFirstContact, double? P90HoursToFirstContact);

public sealed record ReferralTimings(string Scope, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ReferralTimingsRow> Rows);

public static class ReferralTimingsEndpoint
{
    private static readonly string[] Tiers = ["immediate", "within-24-hours", "standard"];

    public static RouteGroupBuilder MapReferralTimings(this RouteGroupBuilder group)
    {
        group.MapGet("/referral-timings", async Task<Results<Ok<ReferralTimings>, ProblemHttpResult>> (
                HttpContext http, NpgsqlDataSource db, TimeProvider time, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
            {
                var user = CurrentUser.From(http.User);
                var until = to ?? time.GetUtcNow();
                var since = from ?? until.AddYears(-1);
                string scope;
                Guid? organisation = null;
                if (user.IsCoordinatorOrAdmin) scope = "national";
                else if (user.OrganisationId is { } own && Roles.OrganisationStaff.Contains(user.Role))
                {
                    scope = "organisation";
                    organisation = own;
                }
                else return Problems.Forbidden("Ces indicateurs sont réservés aux coordinateurs nationaux et au personnel des organisations.");

                // Nearest-rank percentiles (percentile_disc) computed by PostgreSQL: no document is loaded.
                var tiers = new Dictionary<string, (int Sent, int Acknowledged, double? Ack50, double? Ack90, int InTime, int Contacted, double? Contact50, double? Contact90)>();
                await using (var command = db.CreateCommand($"""
                    select urgency, count(*), count(acknowledged_at),
                           percentile_disc(0.5) within group (order by extract(epoch from acknowledged_at - sent_at) / 3600) filter (where acknowledged_at is not null),
                           percentile_disc(0.9) within group (order by extract(epoch from acknowledged_at - sent_at) / 3600) filter (where acknowledged_at is not null),
                           count(*) filter (where acknowledged_at <= acknowledge_by), count(first_contact_at),
                           percentile_disc(0.5) within group (order by extract(epoch from first_contact_at - sent_at) / 3600) filter (where first_contact_at is not null),
                           percentile_disc(0.9) within group (order by extract(epoch from first_contact_at - sent_at) / 3600) filter (where first_contact_at is not null)
                    from {DashboardServiceExtensions.SchemaName}.mt_doc_referralfacts
                    where sent_at >= @from and sent_at < @to and status <> 'entered-in-error'
                      and (@organisation::uuid is null or sender_organisation_id = @organisation or receiver_organisation_id = @organisation)
                    group by urgency
                    """))
                {
                    command.Parameters.AddWithValue("from", NpgsqlTypes.NpgsqlDbType.TimestampTz, since.UtcDateTime);
                    command.Parameters.AddWithValue("to", NpgsqlTypes.NpgsqlDbType.TimestampTz, until.UtcDateTime);
                    command.Parameters.AddWithValue("organisation", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)organisation ?? DBNull.Value);
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    double? Hours(int i) => reader.Double(i) is { } hours ? Math.Round(hours, 1) : null;
                    while (await reader.ReadAsync(ct))
                        tiers[reader.GetString(0)] = (reader.Int(1), reader.Int(2), Hours(3), Hours(4), reader.Int(5), reader.Int(6), Hours(7), Hours(8));
                }
                var national = scope == "national";
                // Rates and times over fewer than 11 hand-offs could point at a few people: not shown nationally.
                bool Enough(int n) => !national || n >= Privacy.SmallCellSuppression.Threshold;
                var rows = Tiers.Select(tier =>
                {
                    var t = tiers.GetValueOrDefault(tier);
                    return new ReferralTimingsRow(tier,
                        national && Privacy.SmallCellSuppression.IsSensitive(t.Sent) ? Privacy.SmallCellSuppression.Hidden : t.Sent.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Enough(t.Acknowledged) ? t.Ack50 : null, Enough(t.Acknowledged) ? t.Ack90 : null,
                        Enough(t.Sent) && t.Sent > 0 ? Math.Round((double)t.InTime / t.Sent, 3) : null,
                        Enough(t.Contacted) ? t.Contact50 : null, Enough(t.Contacted) ? t.Contact90 : null);
                }).ToList();
                return TypedResults.Ok(new ReferralTimings(scope, since, until, rows));
            })
            .WithName("GetReferralTimings").WithSummary("Median and p90 hours to acknowledgement and first contact, share acknowledged in time, per urgency tier.");
        return group;
    }

    /// <summary>Nearest-rank percentile, in hours rounded to 0.1; null when there is nothing to measure.</summary>
    public static double? Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p * sorted.Count) - 1;
        return Math.Round(sorted[Math.Clamp(rank, 0, sorted.Count - 1)], 1);
    }
}
