using Coordination.Dashboard.Privacy;
using Xunit;

namespace Coordination.Dashboard.Tests;

/// <summary>How one list of counts, a rate or a statistic is published: properties over random lists (fixed seeds).</summary>
public class PublicationTests
{
    public static TheoryData<int> Seeds => new() { 1, 7, 2026 };

    private static IEnumerable<int[]> RandomLists(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 2_000; i++)
            yield return [.. Enumerable.Range(0, random.Next(1, 9)).Select(_ => random.Next(3) switch { 0 => 0, 1 => random.Next(1, 11), _ => random.Next(11, 200) })];
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_suppressed_partition_publishes_no_small_count_and_no_part_the_total_gives_away(int seed)
    {
        foreach (var parts in RandomLists(seed))
        {
            var (cells, total) = Publication.Partition(parts, suppress: true);
            Assert.DoesNotContain(cells.Append(total), c => c.Value is > 0 and < 11);
            if (total.Value is { } sum)
            {
                var hidden = cells.Where(c => c.Suppressed).ToList();
                // With the total published, a lone hidden part would be the total minus the others.
                Assert.True(hidden.Count != 1 || parts[Array.IndexOf(cells, hidden[0])] == 0,
                    $"one hidden part recoverable from {sum} in [{string.Join(", ", parts)}]");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_rate_is_never_shown_when_it_would_give_back_a_hidden_count_or_covers_fewer_than_11(int seed)
    {
        foreach (var parts in RandomLists(seed))
        {
            var (cells, _) = Publication.Partition(parts, suppress: true);
            var denominator = parts.Sum();
            for (var i = 0; i < parts.Length; i++)
            {
                var rate = Publication.Rate(cells[i], parts[i], denominator, suppress: true);
                if (cells[i].Suppressed || denominator < 11) Assert.Null(rate);
                else Assert.NotNull(rate);
            }
        }
    }

    [Fact]
    public void An_organisation_sees_its_own_small_figures()
    {
        var (cells, total) = Publication.Partition([3, 0, 12], suppress: false);
        Assert.Equal(["3", "0", "12"], cells.Select(c => c.ToString()));
        Assert.Equal("15", total.ToString());
        Assert.Equal("0.2", Publication.Rate(cells[0], 3, 15, suppress: false));
        Assert.Equal("4.5", Publication.Statistic(4.5, 2, suppress: false));
        Assert.Null(Publication.Statistic(4.5, 2, suppress: true));
        Assert.Equal("< 11", Publication.Single(4, suppress: true).ToString());
        Assert.Equal("0", Publication.Single(0, suppress: true).ToString());
    }
}
