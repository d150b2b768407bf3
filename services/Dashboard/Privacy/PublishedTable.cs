namespace Coordination.Dashboard.Privacy;

/// <summary>A table of person counts with its row, column and grand totals, as published.</summary>
public sealed record PublishedTable(PublishedCount[,] Cells, PublishedCount[] RowTotals, PublishedCount[] ColumnTotals, PublishedCount GrandTotal)
{
    /// <summary>Every count as it is, with its totals: an organisation's own figures.</summary>
    public static PublishedTable Unsuppressed(int[,] counts)
    {
        int rows = counts.GetLength(0), columns = counts.GetLength(1);
        var cells = new PublishedCount[rows, columns];
        for (var row = 0; row < rows; row++)
            for (var column = 0; column < columns; column++)
                cells[row, column] = new PublishedCount(counts[row, column]);
        var rowTotals = Enumerable.Range(0, rows)
            .Select(row => new PublishedCount(Enumerable.Range(0, columns).Sum(column => counts[row, column]))).ToArray();
        var columnTotals = Enumerable.Range(0, columns)
            .Select(column => new PublishedCount(Enumerable.Range(0, rows).Sum(row => counts[row, column]))).ToArray();
        return new PublishedTable(cells, rowTotals, columnTotals, new PublishedCount(rowTotals.Sum(total => total.Value!.Value)));
    }
}
