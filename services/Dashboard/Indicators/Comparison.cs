using System.Globalization;
using Coordination.Dashboard.Privacy;

namespace Coordination.Dashboard.Indicators;

/// <summary>
/// A view beside the same view a year before (<c>compare=previous-year</c>): each column <c>c</c> becomes <c>c</c>,
/// <c>c:previous-year</c> and <c>c:change-percent</c>. Both periods are published under the view's own rules (each
/// suppressed on its own), and the change is published only when both values are: in a suppressed view, a change in a
/// count of persons is also hidden when the two counts differ by 1 to 10 persons (the difference is a count of persons
/// too). The two periods never overlap: a comparison covers at most a year.
/// </summary>
public static class Comparison
{
    public const string PreviousYear = "previous-year";
    public const string Previous = ":previous-year", Change = ":change-percent";

    /// <summary>Columns whose values are rates, durations or means, not counts of persons.</summary>
    private static bool IsStatistic(string column) =>
        column.Contains("rate", StringComparison.Ordinal) || column.Contains("share", StringComparison.Ordinal)
        || column.Contains("hours", StringComparison.Ordinal) || column.Contains("days", StringComparison.Ordinal)
        || column.Contains("median", StringComparison.Ordinal) || column.Contains("mean", StringComparison.Ordinal);

    /// <summary>The same query a year earlier, in whole Paris days (29 February falls back to the 28th).</summary>
    public static IndicatorQuery YearBefore(IndicatorQuery query) => query with
    {
        From = ParisTime.StartOf(ParisTime.DayOf(query.From).AddYears(-1)),
        To = ParisTime.StartOf(ParisTime.DayOf(query.To).AddYears(-1)),
    };

    public static IndicatorView Combine(IndicatorView current, IndicatorView previous, Period period) => current with
    {
        Compared = new ComparedPeriod(PreviousYear, previous.From, previous.To, previous.AsOf),
        Tables = [.. current.Tables.Select(table => Combine(table, previous.Tables.FirstOrDefault(t => t.Name == table.Name), period, current.Suppressed))],
    };

    private static IndicatorTable Combine(IndicatorTable current, IndicatorTable? previous, Period period, bool suppressed)
    {
        var earlier = (previous?.Rows ?? []).ToDictionary(row => Aligned(row.Key, period), row => row);
        var keys = current.Rows.Select(row => row.Key).Concat(earlier.Keys.Where(key => current.Rows.All(row => row.Key != key))).ToList();
        var columns = current.Columns.SelectMany(column => new[] { column, column + Previous, column + Change }).ToList();
        var rows = keys.Select(key =>
        {
            var now = current.Rows.FirstOrDefault(row => row.Key == key);
            var before = earlier.GetValueOrDefault(key);
            var values = new Dictionary<string, string?>();
            foreach (var column in current.Columns)
            {
                var (a, b) = (now?.Values.GetValueOrDefault(column), before?.Values.GetValueOrDefault(column));
                values[column] = a;
                values[column + Previous] = b;
                values[column + Change] = ChangePercent(a, b, suppressed && !IsStatistic(column));
            }
            return new IndicatorRow(key, now?.Label ?? (before!.Key == key ? before.Label : key), values);
        });
        return current with { Columns = columns, Rows = [.. rows] };
    }

    /// <summary>A series bucket of the year before under the key of the bucket it compares with.</summary>
    private static string Aligned(string key, Period period) =>
        DateOnly.TryParseExact(key, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? (period == Period.Week ? day.AddDays(364) : day.AddYears(1)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : key;

    /// <summary>The change in % from <paramref name="before"/> to <paramref name="now"/>, one decimal; null when not shown.</summary>
    public static string? ChangePercent(string? now, string? before, bool countOfPersons)
    {
        if (!double.TryParse(now, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            || !double.TryParse(before, NumberStyles.Float, CultureInfo.InvariantCulture, out var b) || b == 0) return null;
        if (countOfPersons && SmallCellSuppression.IsSensitive((int)Math.Abs(Math.Round(a - b)))) return null;
        return Publication.Number((a - b) / b * 100, 1);
    }
}

/// <summary>The period a view is compared with.</summary>
public sealed record ComparedPeriod(string Kind, DateTimeOffset From, DateTimeOffset To, DateTimeOffset? AsOf);
