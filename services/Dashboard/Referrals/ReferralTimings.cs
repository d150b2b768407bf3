using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Marten;
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
                HttpContext http, IQuerySession session, TimeProvider time, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
            {
                var user = CurrentUser.From(http.User);
                var until = to ?? time.GetUtcNow();
                var since = from ?? until.AddYears(-1);
                IQueryable<ReferralFacts> query = session.Query<ReferralFacts>().Where(f => f.SentAt >= since && f.SentAt < until && f.Status != "entered-in-error");
                string scope;
                if (user.IsCoordinatorOrAdmin) scope = "national";
                else if (user.OrganisationId is { } organisation && Roles.OrganisationStaff.Contains(user.Role))
                {
                    scope = "organisation";
                    query = query.Where(f => f.SenderOrganisationId == organisation || f.ReceiverOrganisationId == organisation);
                }
                else return Problems.Forbidden("Ces indicateurs sont réservés aux coordinateurs nationaux et au personnel des organisations.");

                var facts = await query.ToListAsync(ct);
                var national = scope == "national";
                var rows = Tiers.Select(tier =>
                {
                    var sent = facts.Where(f => f.Urgency == tier).ToList();
                    var toAcknowledge = sent.Where(f => f.AcknowledgedAt is not null).Select(f => (f.AcknowledgedAt!.Value - f.SentAt!.Value).TotalHours).ToList();
                    var toContact = sent.Where(f => f.FirstContactAt is not null).Select(f => (f.FirstContactAt!.Value - f.SentAt!.Value).TotalHours).ToList();
                    var inTime = sent.Count(f => f.AcknowledgedAt is { } at && f.AcknowledgeBy is { } by && at <= by);
                    // Rates and times over fewer than 11 hand-offs could point at a few people: not shown nationally.
                    bool Enough(int n) => !national || n >= Privacy.SmallCellSuppression.Threshold;
                    return new ReferralTimingsRow(tier,
                        national && Privacy.SmallCellSuppression.IsSensitive(sent.Count) ? Privacy.SmallCellSuppression.Hidden : sent.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Enough(toAcknowledge.Count) ? Percentile(toAcknowledge, 0.5) : null, Enough(toAcknowledge.Count) ? Percentile(toAcknowledge, 0.9) : null,
                        Enough(sent.Count) && sent.Count > 0 ? Math.Round((double)inTime / sent.Count, 3) : null,
                        Enough(toContact.Count) ? Percentile(toContact, 0.5) : null, Enough(toContact.Count) ? Percentile(toContact, 0.9) : null);
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
