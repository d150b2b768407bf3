using Coordination.Dashboard.Privacy;
using Xunit;

namespace Coordination.Dashboard.Tests;

/// <summary>Properties that must hold for every table: checked on thousands of random tables (fixed seeds).</summary>
public class SmallCellSuppressionTests
{
    private static IEnumerable<int[,]> RandomTables(int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var table = new int[random.Next(1, 9), random.Next(1, 7)];
            for (var r = 0; r < table.GetLength(0); r++)
                for (var c = 0; c < table.GetLength(1); c++)
                    table[r, c] = random.Next(4) switch { 0 => 0, 1 => random.Next(1, 11), _ => random.Next(11, 300) };
            yield return table;
        }
    }

    public static TheoryData<int> Seeds => new() { 1, 2, 3, 42, 2026 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void No_published_cell_or_total_counts_fewer_than_11_persons(int seed)
    {
        foreach (var counts in RandomTables(seed, 500))
        {
            var table = SmallCellSuppression.Apply(counts);
            var published = table.Cells.Cast<PublishedCount>().Concat(table.RowTotals).Concat(table.ColumnTotals).Append(table.GrandTotal);
            Assert.DoesNotContain(published, p => p.Value is > 0 and < 11);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void No_hidden_cell_can_be_recomputed_from_a_published_total(int seed)
    {
        foreach (var counts in RandomTables(seed, 500))
        {
            var table = SmallCellSuppression.Apply(counts);
            int rows = counts.GetLength(0), columns = counts.GetLength(1);
            for (var r = 0; r < rows; r++)
                if (!table.RowTotals[r].Suppressed)
                    Assert.NotEqual(1, Enumerable.Range(0, columns).Count(c => table.Cells[r, c].Suppressed));
            for (var c = 0; c < columns; c++)
                if (!table.ColumnTotals[c].Suppressed)
                    Assert.NotEqual(1, Enumerable.Range(0, rows).Count(r => table.Cells[r, c].Suppressed));
            if (!table.GrandTotal.Suppressed)
            {
                Assert.NotEqual(1, table.RowTotals.Count(t => t.Suppressed));
                Assert.NotEqual(1, table.ColumnTotals.Count(t => t.Suppressed));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Published_figures_are_the_true_ones(int seed)
    {
        foreach (var counts in RandomTables(seed, 500))
        {
            var table = SmallCellSuppression.Apply(counts);
            for (var r = 0; r < counts.GetLength(0); r++)
                for (var c = 0; c < counts.GetLength(1); c++)
                    if (table.Cells[r, c].Value is { } value)
                        Assert.Equal(counts[r, c], value);
        }
    }

    [Fact]
    public void A_hand_computed_table()
    {
        //            intrafamily  sexual  other    total
        // 93:             40         3      25       68   3 is small → "< 11"; row 93 would then give it away → hide 25 (smallest other)
        // 69:             52        14      30       96   column "sexual" would give 3 away → hide 14; column "other" → hide 30
        // 13:             60        20      35      115
        // total          152        37      90      279
        var table = SmallCellSuppression.Apply(new[,] { { 40, 3, 25 }, { 52, 14, 30 }, { 60, 20, 35 } });

        Assert.Equal("< 11", table.Cells[0, 1].ToString());
        Assert.Equal(["40", "< 11", "secret"], Enumerable.Range(0, 3).Select(c => table.Cells[0, c].ToString()));
        Assert.Equal(["52", "secret", "secret"], Enumerable.Range(0, 3).Select(c => table.Cells[1, c].ToString()));
        Assert.Equal(["60", "20", "35"], Enumerable.Range(0, 3).Select(c => table.Cells[2, c].ToString()));
        Assert.Equal([68, 96, 115], table.RowTotals.Select(t => t.Value!.Value));
        Assert.Equal(279, table.GrandTotal.Value);
    }

    [Fact]
    public void A_single_small_count_hides_its_total_too()
    {
        var table = SmallCellSuppression.Apply(new[,] { { 7, 0 } });

        Assert.Equal("< 11", table.Cells[0, 0].ToString());
        Assert.True(table.RowTotals[0].Suppressed);
        Assert.True(table.GrandTotal.Suppressed);
        Assert.Equal("0", table.Cells[0, 1].ToString());
    }
}
