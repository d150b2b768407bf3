using System.Globalization;

namespace Coordination.Dashboard.Privacy;

/// <summary>How counts of persons and rates over persons are published in a view that may be suppressed.</summary>
public static class Publication
{
    /// <summary>
    /// A partition (parts adding up to a published total) as one row of <see cref="SmallCellSuppression"/>: primary
    /// and secondary suppression, so no hidden part can be recovered from the total.
    /// </summary>
    public static (PublishedCount[] Parts, PublishedCount Total) Partition(IReadOnlyList<int> parts, bool suppress)
    {
        if (!suppress) return ([.. parts.Select(p => new PublishedCount(p))], new PublishedCount(parts.Sum()));
        var counts = new int[1, parts.Count];
        for (var i = 0; i < parts.Count; i++) counts[0, i] = parts[i];
        var table = SmallCellSuppression.Apply(counts);
        return ([.. Enumerable.Range(0, parts.Count).Select(i => table.Cells[0, i])], table.RowTotals[0]);
    }

    /// <summary>A count that is not part of a published sum (multi-valued lists, a lone figure): primary suppression only.</summary>
    public static PublishedCount Single(int count, bool suppress) =>
        new(suppress && SmallCellSuppression.IsSensitive(count) ? null : count);

    /// <summary>
    /// A rate over persons: not shown over fewer than 11 persons, nor when its numerator is hidden (rate × total
    /// would give it back).
    /// </summary>
    public static string? Rate(PublishedCount numerator, int numeratorValue, int denominator, bool suppress) =>
        denominator == 0 || (suppress && (denominator < SmallCellSuppression.Threshold || numerator.Suppressed))
            ? null
            : Number((double)numeratorValue / denominator, 3);

    /// <summary>A statistic over a group of persons (a median, a mean): only over 11 persons or more when suppressed.</summary>
    public static string? Statistic(double? value, int persons, bool suppress, int decimals = 1) =>
        value is null || persons == 0 || (suppress && persons < SmallCellSuppression.Threshold)
            ? null
            : Number(value.Value, decimals);

    /// <summary>A decimal as every view and CSV writes it: a dot, at most <paramref name="decimals"/> decimals.</summary>
    public static string Number(double value, int decimals = 2) =>
        Math.Round(value, decimals).ToString(CultureInfo.InvariantCulture);
}
