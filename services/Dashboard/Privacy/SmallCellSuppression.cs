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
                changed |= Protect(new Line(r, IsRow: true, columns), value, hidden);
            for (var c = 0; c <= columns; c++)
                changed |= Protect(new Line(c, IsRow: false, rows), value, hidden);
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

    /// <summary>A row (its cells, then its total) or a column (its cells, then its total) of the table with margins.</summary>
    private readonly record struct Line(int Index, bool IsRow, int Parts)
    {
        public (int Row, int Column) Part(int k) => IsRow ? (Index, k) : (k, Index);

        public (int Row, int Column) Sum => Part(Parts);
    }

    /// <summary>
    /// A line whose sum is published must not have exactly one hidden part: hide its smallest other non-zero part
    /// (the first of equals), or, when the others are all zero, the sum itself. Loops, no allocation: the open-data
    /// file runs this over some 1,300 rows, pass after pass.
    /// </summary>
    private static bool Protect(Line line, int[,] value, bool[,] hidden)
    {
        var (sumRow, sumColumn) = line.Sum;
        if (hidden[sumRow, sumColumn])
            return false;
        var hiddenParts = 0;
        (int Row, int Column)? candidate = null;
        var smallest = int.MaxValue;
        for (var k = 0; k < line.Parts; k++)
        {
            var (row, column) = line.Part(k);
            if (hidden[row, column])
            {
                if (++hiddenParts > 1) return false;
            }
            else if (value[row, column] > 0 && value[row, column] < smallest)
            {
                smallest = value[row, column];
                candidate = (row, column);
            }
        }
        if (hiddenParts != 1)
            return false;
        var (hideRow, hideColumn) = candidate ?? line.Sum;
        hidden[hideRow, hideColumn] = true;
        return true;
    }
}
