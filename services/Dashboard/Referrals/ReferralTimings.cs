namespace Coordination.Dashboard.Referrals;

/// <summary>
/// How fast hand-offs are picked up, per urgency tier (<see cref="ReferralTimingsEndpoint"/>). Figures over fewer
/// than 11 hand-offs are not shown (null) in suppressed views.
/// </summary>
public sealed record ReferralTimings(string Scope, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ReferralTimings.Row> Rows)
{
    public sealed record Row(
        string Urgency, string Sent, double? MedianHoursToAcknowledge, double? P90HoursToAcknowledge, double? ShareAcknowledgedInTime,
        double? MedianHoursToFirstContact, double? P90HoursToFirstContact);
}
