using Coordination.Dashboard.Indicators;
using Coordination.Dashboard.Privacy;
using Npgsql;

namespace Coordination.Dashboard.Referrals;

/// <summary>
/// The hand-off indicators of a scope and period: directions, answers and their rates, currently overdue, decline
/// reasons, needs, situations, outcomes, timings per urgency tier and a series per day/week/month/year. Hand-offs
/// are counted by the date they were sent; one hand-off is one person.
/// </summary>
public static class ReferralIndicators
{
    public static RouteGroupBuilder MapReferralIndicators(this RouteGroupBuilder group)
    {
        group.MapIndicatorView("referrals", "GetReferralIndicators",
            "Hand-off indicators for a period, département, organisation and network (suppressed for national views).", Compute);
        return group;
    }

    public static async Task<IndicatorView> Compute(IndicatorQuery query, NpgsqlDataSource db, CancellationToken ct) =>
        Publish(query, TotalsGrain(query) is { } grain ? await ReferralFigures.FromTotals(query, grain, db, ct)
            : OrganisationTotals(query) ? await ReferralFigures.FromOrganisationTotals(query, db, ct)
            : await ReferralFigures.FromFacts(query, db, ct));

    /// <summary>The same view read from the hand-offs themselves whatever the scope: what the totals are checked against.</summary>
    public static async Task<IndicatorView> ComputeFromFacts(IndicatorQuery query, NpgsqlDataSource db, CancellationToken ct) =>
        Publish(query, await ReferralFigures.FromFacts(query, db, ct));

    private static IndicatorView Publish(IndicatorQuery query, ReferralFigures figures)
    {
        var suppress = query.Suppress;
        IndicatorTable[] tables =
        [
            Directions(figures, suppress),
            Answers(figures, suppress),
            new("overdue", "Orientations en retard", ["count"],
                [IndicatorRow.For("overdue-now", ("count", Publication.Single(figures.OverdueNow, suppress).ToString()))]),
            IndicatorTable.CountList("decline-reasons", "Motifs de refus (plusieurs possibles)", figures.DeclineReasons, suppress),
            IndicatorTable.CountList("needs", "Besoins exprimés (plusieurs possibles)", figures.Needs, suppress),
            IndicatorTable.PartitionList("situations", "Situations", figures.Situations, suppress),
            IndicatorTable.PartitionList("outcomes", "Issues des accompagnements terminés", figures.Outcomes, suppress),
            Timings(figures, suppress),
            Series(figures, suppress),
        ];
        return query.View("referrals", figures.AsOf, tables);
    }

    /// <summary>
    /// National and département views over whole months read the monthly totals (<see cref="ReferralMonthRollup"/>),
    /// national views over whole days the national daily totals, with or without a network filter; an organisation's
    /// view, a département's network or days, or a range that cuts a day read the hand-offs themselves.
    /// </summary>
    public static string? TotalsGrain(IndicatorQuery query)
    {
        if (query.Organisation is not null || !IsDayStart(query.From) || !IsDayStart(query.To)) return null;
        if (query.Network is not null && query.Scope != "national") return null;
        if (query.Scope is "national" or "departement" && query.Period is Period.Month or Period.Year
            && IsMonthStart(query.From) && IsMonthStart(query.To)) return "m";
        return query.Scope == "national" ? "d" : null;
    }

    /// <summary>
    /// An organisation's views over whole months (by month or year), without a département or network filter, read its
    /// monthly totals per side; over days, or filtered, its hand-offs themselves (a few hundred).
    /// </summary>
    public static bool OrganisationTotals(IndicatorQuery query) =>
        query is { Organisation: not null, Departement: null, Network: null, Period: Period.Month or Period.Year }
        && IsMonthStart(query.From) && IsMonthStart(query.To);

    public static bool IsDayStart(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, ParisTime.Zone) is { Hour: 0, Minute: 0, Second: 0, Millisecond: 0 };

    public static bool IsMonthStart(DateTimeOffset instant) =>
        IsDayStart(instant) && TimeZoneInfo.ConvertTime(instant, ParisTime.Zone).Day == 1;

    /// <summary>A table of persons whose column sums are published (the answers' total), hence full suppression.</summary>
    private static IndicatorTable Directions(ReferralFigures figures, bool suppress)
    {
        var directions = ReferralFigures.Directions;
        var counts = new int[directions.Length, 2];
        for (var row = 0; row < directions.Length; row++)
            (counts[row, 0], counts[row, 1]) = figures.DirectionCounts[directions[row]];
        var published = suppress ? SmallCellSuppression.Apply(counts) : null;
        string Cell(int row, int column) => published?.Cells[row, column].ToString() ?? counts[row, column].ToString();
        return new IndicatorTable("directions", "Orientations par sens", ["sent", "received"],
            [.. directions.Select((direction, row) => IndicatorRow.For(direction, ("sent", Cell(row, 0)), ("received", Cell(row, 1))))]);
    }

    private static IndicatorTable Answers(ReferralFigures figures, bool suppress)
    {
        var (cells, total) = Publication.Partition(figures.AnswerCounts, suppress);
        return new IndicatorTable("answers", "Réponses aux orientations", ["count", "rate"],
        [
            .. ReferralFigures.Answers.Select((answer, index) => IndicatorRow.For(answer,
                ("count", cells[index].ToString()),
                ("rate", Publication.Rate(cells[index], figures.AnswerCounts[index], figures.Total, suppress)))),
            IndicatorRow.For("total", ("count", total.ToString()), ("rate", null)),
        ]);
    }

    private static IndicatorTable Timings(ReferralFigures figures, bool suppress) =>
        new("timings", "Délais par niveau d'urgence (heures)",
            ["sent", "median-hours-to-acknowledge", "p90-hours-to-acknowledge", "share-acknowledged-in-time",
             "median-hours-to-first-contact", "p90-hours-to-first-contact"],
            [.. ReferralFigures.Urgencies.Select(urgency =>
            {
                var timing = figures.Timings.GetValueOrDefault(urgency) ?? ReferralFigures.Timing.None;
                var inTime = Publication.Single(timing.InTime, suppress);
                return IndicatorRow.For(urgency,
                    ("sent", Publication.Single(timing.Sent, suppress).ToString()),
                    ("median-hours-to-acknowledge", Publication.Statistic(timing.MedianSecondsToAcknowledge / 3600, timing.Acknowledged, suppress)),
                    ("p90-hours-to-acknowledge", Publication.Statistic(timing.P90SecondsToAcknowledge / 3600, timing.Acknowledged, suppress)),
                    ("share-acknowledged-in-time", Publication.Rate(inTime, timing.InTime, timing.DeadlineKnown, suppress)),
                    ("median-hours-to-first-contact", Publication.Statistic(timing.MedianSecondsToFirstContact / 3600, timing.Contacted, suppress)),
                    ("p90-hours-to-first-contact", Publication.Statistic(timing.P90SecondsToFirstContact / 3600, timing.Contacted, suppress)));
            })]);

    private static IndicatorTable Series(ReferralFigures figures, bool suppress)
    {
        var (cells, _) = Publication.Partition([.. figures.Series.Select(bucket => bucket.Sent)], suppress);
        return new IndicatorTable("series", "Orientations envoyées par période", ["sent"],
            [.. figures.Series.Select((bucket, index) =>
                new IndicatorRow(bucket.Bucket, bucket.Bucket, new Dictionary<string, string?> { ["sent"] = cells[index].ToString() }))]);
    }
}
