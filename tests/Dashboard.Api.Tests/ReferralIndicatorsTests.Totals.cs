using System.Globalization;
using System.Net;
using Coordination.Dashboard.Indicators;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Xunit;
using static Coordination.Dashboard.Api.Tests.IndicatorTables;
using static Coordination.Testing.Specification;

namespace Coordination.Dashboard.Api.Tests;

/// <summary>
/// The totals the rollup keeps (monthly, national daily, per network, statuses per département and day) answer what the
/// hand-offs themselves answer, for every scope the Portal asks for: the fast path cannot drift from the exact one.
/// </summary>
public partial class ReferralIndicatorsTests
{
    private static readonly DateOnly ParisDay = ParisTime.DayOf(Day);
    private static readonly DateOnly MonthStart = new(ParisDay.Year, ParisDay.Month, 1);

    [Theory]
    [InlineData("")]
    [InlineData("?network=iscg")]
    [InlineData("?network=partner")]
    [InlineData("?network=association&period=year")]
    [InlineData("?period=day&network=iscg")]
    [InlineData("?period=week&network=partner")]
    [InlineData("?period=week")]
    public async Task Totals_give_the_national_view_the_hand_offs_themselves_give(string query)
    {
        await Seed();
        await using (var db = Npgsql.NpgsqlDataSource.Create(factory.ConnectionString))
        await using (var command = db.CreateCommand(
            "select coalesce(sum(sent), 0) from dashboard.referral_months where grain = 'm' and departement = '*' and network = '*'"))
            Assert.Equal(18L, Convert.ToInt64(await command.ExecuteScalarAsync()));

        var fromTotals = await Get(Roles.NationalCoordinator, query: query); // whole days: the totals
        var fromFacts = await FromFacts.Referrals(factory, fromTotals);

        foreach (var table in new[] { "directions", "answers", "overdue", "decline-reasons", "needs", "situations", "outcomes", "series" })
            Assert.Equal(Table(fromFacts, table), Table(fromTotals, table));
        Assert.Equal(fromFacts.AsOf, fromTotals.AsOf);
        foreach (var (urgency, facts) in Table(fromFacts, "timings"))
        {
            var totals = Table(fromTotals, "timings")[urgency];
            Assert.Equal(facts["sent"], totals["sent"]);
            Assert.Equal(facts["share-acknowledged-in-time"], totals["share-acknowledged-in-time"]);
            // Delays from logarithmic buckets: within 12 % of the exact median.
            if (facts["median-hours-to-acknowledge"] is { } exact)
                Assert.InRange(double.Parse(totals["median-hours-to-acknowledge"]!, CultureInfo.InvariantCulture),
                    double.Parse(exact, CultureInfo.InvariantCulture) * 0.88, double.Parse(exact, CultureInfo.InvariantCulture) * 1.12);
        }
    }

    [Fact]
    public async Task A_network_filter_keeps_the_hand_offs_either_side_of_which_is_of_that_kind()
    {
        await Seed();
        // 18 involve the ISCG post, 17 the association, 1 the partner (a count under 11: hidden nationally).
        Assert.Equal("18", Table(await Get(Roles.NationalCoordinator, query: "?network=iscg"), "answers")["total"]["count"]);
        Assert.Equal("17", Table(await Get(Roles.NationalCoordinator, query: "?network=association"), "answers")["total"]["count"]);
        Assert.Equal("< 11", Table(await Get(Roles.NationalCoordinator, query: "?network=partner&period=day"), "answers")["total"]["count"]);
    }

    public static TheoryData<string> ActivityWindows => new()
    {
        "", // twelve whole months: the months
        $"?from={MonthStart.AddDays(-5):yyyy-MM-dd}&to={MonthStart.AddMonths(1).AddDays(3):yyyy-MM-dd}", // a whole month and days around it
        $"?from={ParisDay.AddDays(-1):yyyy-MM-dd}&to={ParisDay.AddDays(2):yyyy-MM-dd}", // days only
    };

    [Theory]
    [MemberData(nameof(ActivityWindows))]
    public async Task The_activity_chart_from_the_totals_is_the_one_the_hand_offs_give(string window)
    {
        await Seed();
        foreach (var (departement, network) in new[] { ((string?)null, (string?)null), ("93", null), (null, "iscg"), (null, "association"), ("93", "partner") })
        {
            var filters = string.Join("&", new[] { departement is null ? null : $"departement={departement}", network is null ? null : $"network={network}" }
                .Where(filter => filter is not null));
            var path = "/api/dashboard/referral-activity" + window + (filters.Length == 0 ? "" : (window.Length == 0 ? "?" : "&") + filters);
            var answered = await (await When(() => Client(Roles.NationalCoordinator).GetAsync(path)).Then(HttpStatusCode.OK)).Body<ReferralActivity>();
            var counted = await FromFacts.Activity(factory, answered, departement, network);

            Assert.Equal(network == "partner" ? "< 11" : network == "association" ? "17" : "18", answered.Total);
            Assert.Equal(counted.Total, answered.Total);
            Assert.Equal(counted.AsOf, answered.AsOf);
            Assert.Equal(counted.ColumnTotals, answered.ColumnTotals);
            Assert.Equal(counted.Rows.Select(row => (row.Departement, string.Join(",", row.Counts.OrderBy(c => c.Key)), row.Total)),
                answered.Rows.Select(row => (row.Departement, string.Join(",", row.Counts.OrderBy(c => c.Key)), row.Total)));
        }
    }
}
