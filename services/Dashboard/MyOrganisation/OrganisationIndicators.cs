using Coordination.Dashboard.Indicators;
using Coordination.Dashboard.Privacy;
using Coordination.Dashboard.Referrals;
using Coordination.ServiceDefaults.Http;
using Npgsql;

namespace Coordination.Dashboard.MyOrganisation;

/// <summary>
/// One organisation's dashboard (<c>/indicators/organisation</c>): its hand-offs sent and received by answer, pending
/// and overdue now, its delays against each urgency tier's deadline on both sides, decline reasons given and received,
/// outcomes, needs, the trend per period and the training sessions its staff attended. Staff read their own
/// organisation unsuppressed; coordinators name one (<c>organisation</c>) and read it suppressed.
/// </summary>
public static class OrganisationIndicators
{
    public const string OrganisationRequired = "Choisissez l'organisation dont vous voulez les indicateurs.";
    private static readonly string[] TimingColumns =
    [
        "count", "deadline-hours", "median-hours-to-acknowledge", "p90-hours-to-acknowledge", "share-acknowledged-in-time",
        "median-hours-to-first-contact", "p90-hours-to-first-contact",
    ];

    public static RouteGroupBuilder MapOrganisationIndicators(this RouteGroupBuilder group)
    {
        group.MapIndicatorView("organisation", "GetOrganisationIndicators",
            "One organisation's hand-offs sent and received, delays against deadlines, declines, outcomes, needs, trend and training.",
            Compute, query => query.Organisation is null
                ? Problems.Invalid(new Dictionary<string, string[]> { ["organisation"] = [OrganisationRequired] })
                : null);
        return group;
    }

    public static async Task<IndicatorView> Compute(IndicatorQuery query, NpgsqlDataSource db, CancellationToken ct) =>
        Publish(query, await OrganisationFigures.Compute(query, db, ct));

    /// <summary>The same view read from the hand-offs themselves whatever the period: what the totals are checked against.</summary>
    public static async Task<IndicatorView> ComputeFromFacts(IndicatorQuery query, NpgsqlDataSource db, CancellationToken ct) =>
        Publish(query, await OrganisationFigures.FromFacts(query, db, ct));

    private static IndicatorView Publish(IndicatorQuery query, OrganisationFigures figures)
    {
        var suppress = query.Suppress;
        IndicatorTable[] tables =
        [
            BySide(figures, suppress),
            Timings("timings-received", "Délais de vos réponses aux orientations reçues (heures)", "received", figures, suppress),
            Timings("timings-sent", "Délais des réponses à vos orientations envoyées (heures)", "sent", figures, suppress),
            Codes("decline-reasons", "Motifs de refus donnés et reçus (plusieurs possibles)", "decline-reason", ["given", "received"], figures, suppress),
            Codes("outcomes", "Issues des accompagnements terminés", "outcome", OrganisationFigures.Sides, figures, suppress),
            Codes("needs", "Besoins exprimés (plusieurs possibles)", "need", OrganisationFigures.Sides, figures, suppress),
            Trend(figures, suppress),
            new("training", "Formations communes suivies", ["count"],
            [
                IndicatorRow.For("sessions-attended", ("count", figures.SessionsAttended.ToString())),
                IndicatorRow.For("staff-attendances", ("count", figures.StaffAttendances.ToString())),
            ]),
        ];
        return query.View("organisation", figures.AsOf, tables);
    }

    /// <summary>Each side is a partition of its hand-offs by answer, with its total: primary and secondary suppression per row.</summary>
    private static IndicatorTable BySide(OrganisationFigures figures, bool suppress) =>
        new("by-side", "Orientations envoyées et reçues, par réponse", [.. ReferralFigures.Answers, "total", "overdue-now"],
            [.. OrganisationFigures.Sides.Select(side =>
            {
                var (cells, total) = Publication.Partition(figures.Answers[side], suppress);
                var values = ReferralFigures.Answers.Select((answer, index) => (answer, (string?)cells[index].ToString()))
                    .Append(("total", total.ToString()))
                    .Append(("overdue-now", Publication.Single(figures.OverdueNow[side], suppress).ToString()));
                return IndicatorRow.For(side, [.. values]);
            })]);

    private static IndicatorTable Timings(string name, string title, string side, OrganisationFigures figures, bool suppress) =>
        new(name, title, TimingColumns, [.. ReferralFigures.Urgencies.Select(urgency =>
        {
            var t = figures.Timings.GetValueOrDefault((side, urgency)) ?? new OrganisationFigures.SideTiming(0, null, 0, null, null, 0, 0, 0, null, null);
            var inTime = Publication.Single(t.InTime, suppress);
            return IndicatorRow.For(urgency,
                ("count", Publication.Single(t.Count, suppress).ToString()),
                ("deadline-hours", Publication.Statistic(t.DeadlineHours, t.Count, suppress)),
                ("median-hours-to-acknowledge", Publication.Statistic(t.MedianToAcknowledge, t.Acknowledged, suppress)),
                ("p90-hours-to-acknowledge", Publication.Statistic(t.P90ToAcknowledge, t.Acknowledged, suppress)),
                ("share-acknowledged-in-time", Publication.Rate(inTime, t.InTime, t.DeadlineKnown, suppress)),
                ("median-hours-to-first-contact", Publication.Statistic(t.MedianToFirstContact, t.Contacted, suppress)),
                ("p90-hours-to-first-contact", Publication.Statistic(t.P90ToFirstContact, t.Contacted, suppress)));
        })]);

    /// <summary>
    /// Codes counted per side (overlapping lists: primary suppression only). Decline reasons are named from the organisation's
    /// point of view: <c>given</c> on the hand-offs it received, <c>received</c> on those it sent.
    /// </summary>
    private static IndicatorTable Codes(string name, string title, string dimension, string[] columns, OrganisationFigures figures, bool suppress)
    {
        var sides = dimension == "decline-reason" ? new[] { "received", "sent" } : OrganisationFigures.Sides;
        return new(name, title, columns, [.. figures.Codes[dimension]
            .OrderByDescending(code => code.Value.Values.Sum()).ThenBy(code => code.Key, StringComparer.Ordinal)
            .Select(code => IndicatorRow.For(code.Key, [.. columns.Select((column, index) =>
                (column, (string?)Publication.Single(figures.Count(dimension, code.Key, sides[index]), suppress).ToString()))]))]);
    }

    private static IndicatorTable Trend(OrganisationFigures figures, bool suppress)
    {
        if (figures.Trend.Count == 0) return new("trend", "Orientations envoyées et reçues par période", OrganisationFigures.Sides, []);
        var sent = Publication.Partition([.. figures.Trend.Values.Select(counts => counts["sent"])], suppress).Parts;
        var received = Publication.Partition([.. figures.Trend.Values.Select(counts => counts["received"])], suppress).Parts;
        return new("trend", "Orientations envoyées et reçues par période", OrganisationFigures.Sides,
            [.. figures.Trend.Keys.Select((bucket, index) => new IndicatorRow(bucket, bucket,
                new Dictionary<string, string?> { ["sent"] = sent[index].ToString(), ["received"] = received[index].ToString() }))]);
    }
}
