namespace Coordination.Dashboard.Privacy;

/// <summary>
/// The INSEE/DGFiP rule for statistics about persons: a count from 1 to 10 is never published (primary
/// suppression), and when a row or a column with a published total would have a single hidden cell, another cell
/// of that line is hidden too (secondary suppression), so that no hidden count can be recovered by subtracting
/// the published ones from a total. Zero is published: it singles nobody out. National and département views use
/// this; an organisation sees its own figures unsuppressed.
/// </summary>
public static class SmallCellSuppression
{
    public const int Threshold = 11;
    public const string Hidden = "< 11";
    public const string Secret = "secret";

    public static bool IsSensitive(int count) => count is > 0 and < Threshold;

    public static PublishedTable Apply(int[,] counts)
    {
        int rows = counts.GetLength(0), columns = counts.GetLength(1);
        // The table with its margins: the last column holds the row totals, the last row the column totals, the
        // corner the grand total. Every line (row or column) then adds up to its last entry.
        var value = new int[rows + 1, columns + 1];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
            {
                value[r, c] = counts[r, c];
                value[r, columns] += counts[r, c];
                value[rows, c] += counts[r, c];
                value[rows, columns] += counts[r, c];
            }
        var hidden = new bool[rows + 1, columns + 1];
        var primary = new bool[rows + 1, columns + 1];
        for (var r = 0; r <= rows; r++)
            for (var c = 0; c <= columns; c++)
                hidden[r, c] = primary[r, c] = IsSensitive(value[r, c]);

        // Secondary suppression until, in every line whose sum is published, hidden parts are zero or at least two.
        bool changed;
        do
        {
            changed = false;
            for (var r = 0; r <= rows; r++)
                changed |= Protect([.. Enumerable.Range(0, columns).Select(c => (r, c))], (r, columns), value, hidden);
            for (var c = 0; c <= columns; c++)
                changed |= Protect([.. Enumerable.Range(0, rows).Select(r => (r, c))], (rows, c), value, hidden);
        } while (changed);

        PublishedCount At(int r, int c) => new(hidden[r, c] ? null : value[r, c], Secondary: hidden[r, c] && !primary[r, c]);
        var cells = new PublishedCount[rows, columns];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                cells[r, c] = At(r, c);
        return new PublishedTable(cells,
            [.. Enumerable.Range(0, rows).Select(r => At(r, columns))],
            [.. Enumerable.Range(0, columns).Select(c => At(rows, c))],
            At(rows, columns));
    }

    /// <summary>
    /// A line whose sum is published must not have exactly one hidden part: hide its smallest other non-zero part,
    /// or, when the others are all zero, the sum itself.
    /// </summary>
    private static bool Protect(List<(int Row, int Column)> parts, (int Row, int Column) sum, int[,] value, bool[,] hidden)
    {
        if (hidden[sum.Row, sum.Column] || parts.Count(x => hidden[x.Row, x.Column]) != 1)
            return false;
        var candidate = parts.Where(x => !hidden[x.Row, x.Column] && value[x.Row, x.Column] > 0)
            .OrderBy(x => value[x.Row, x.Column]).Cast<(int Row, int Column)?>().FirstOrDefault();
        var (row, column) = candidate ?? sum;
        hidden[row, column] = true;
        return true;
    }
}
