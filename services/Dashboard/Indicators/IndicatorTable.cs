using Coordination.Dashboard.Privacy;

namespace Coordination.Dashboard.Indicators;

/// <summary>
/// One table of a view. A value is a number as text, "&lt; 11" or "secret" (suppressed counts), a decimal with a
/// dot for rates and durations, or null when it is not shown (a rate over fewer than 11 persons).
/// </summary>
public sealed record IndicatorTable(string Name, string Title, IReadOnlyList<string> Columns, IReadOnlyList<IndicatorRow> Rows)
{
    /// <summary>A list whose items may overlap (several needs per person): each count on its own, primary suppression.</summary>
    public static IndicatorTable CountList(string name, string title, Dictionary<string, int> counts, bool suppress) =>
        new(name, title, ["count"], [.. Largest(counts)
            .Select(count => IndicatorRow.For(count.Key, ("count", Publication.Single(count.Value, suppress).ToString())))]);

    /// <summary>A partition with its total: primary and secondary suppression.</summary>
    public static IndicatorTable PartitionList(string name, string title, Dictionary<string, int> counts, bool suppress)
    {
        var ordered = Largest(counts).ToList();
        var (cells, total) = Publication.Partition([.. ordered.Select(count => count.Value)], suppress);
        return new IndicatorTable(name, title, ["count"],
        [
            .. ordered.Select((count, index) => IndicatorRow.For(count.Key, ("count", cells[index].ToString()))),
            IndicatorRow.For("total", ("count", total.ToString())),
        ]);
    }

    private static IEnumerable<KeyValuePair<string, int>> Largest(Dictionary<string, int> counts) =>
        counts.OrderByDescending(count => count.Value).ThenBy(count => count.Key, StringComparer.Ordinal);
}
