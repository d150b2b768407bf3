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

    public static TheoryData<string> OrganisationWindows => new()
    {
        "", // twelve whole months: the totals per organisation
        "?period=year",
        $"?from={MonthStart:yyyy-MM-dd}&to={MonthStart.AddMonths(1):yyyy-MM-dd}", // one whole month
        $"?period=week&from={MonthStart.AddMonths(-1):yyyy-MM-dd}&to={MonthStart.AddMonths(1):yyyy-MM-dd}", // whole months, by week: the hand-offs
        $"?from={ParisDay.AddDays(-1):yyyy-MM-dd}&to={ParisDay.AddDays(2):yyyy-MM-dd}", // days: the hand-offs
    };

    [Theory]
    [MemberData(nameof(OrganisationWindows))]
    public async Task Totals_per_organisation_give_both_its_views_what_its_hand_offs_give_on_either_side(string window)
    {
        await Seed();
        await using (var db = Npgsql.NpgsqlDataSource.Create(factory.ConnectionString))
        await using (var command = db.CreateCommand(
            $"select side, sum(sent) from dashboard.referral_organisation_months where organisation = '{Aav93}' group by side order by side"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            var sides = new List<(string, long)>();
            while (await reader.ReadAsync()) sides.Add((reader.GetString(0), reader.GetInt64(1)));
            Assert.Equal([("*", 17L), ("received", 15L), ("sent", 2L)], sides);
        }

        // The ISCG post mostly sends, the association mostly receives, the partner only receives; staff read their own
        // unsuppressed (every count shows), a coordinator names it and reads it suppressed.
        foreach (var (organisation, staff) in new[] { (Iscg93, Roles.IscgWorker), (Aav93, Roles.AssociationStaff), (Ccas93, Roles.PartnerStaff) })
            foreach (var (role, named) in new[] { (staff, ""), (Roles.NationalCoordinator, $"organisation={organisation}") })
            {
                var path = window + (named.Length == 0 ? "" : (window.Length == 0 ? "?" : "&") + named);
                var referrals = await Get(role, organisation, path);
                Assert.Equal("organisation", referrals.Scope);
                Assert.Equal(Json(await FromFacts.Referrals(factory, referrals)), Json(referrals));

                var dashboard = await (await When(() => Client(role, organisation).GetAsync("/api/dashboard/indicators/organisation" + path))
                    .Then(HttpStatusCode.OK)).Body<IndicatorView>();
                Assert.Equal(Json(await FromFacts.Organisation(factory, dashboard)), Json(dashboard));
            }
        var iscg = await Get(Roles.IscgWorker, Iscg93, window);
        Assert.Equal("16", Table(iscg, "directions").Values.Sum(row => int.Parse(row["sent"]!, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture));
        Assert.Equal("18", Table(iscg, "answers")["total"]["count"]);
    }

    [Fact]
    public async Task A_hand_off_an_organisation_both_sent_and_received_counts_once_in_its_own_view_and_once_per_side()
    {
        await Seed(); // the rules exist once the Dashboard has started
        await using var db = Npgsql.NpgsqlDataSource.Create(factory.ConnectionString);
        await using var command = db.CreateCommand(
            "select side, organisation = @organisation from dashboard.referral_organisation_sides(@organisation, @organisation) order by side");
        command.Parameters.AddWithValue("organisation", Aav93);
        await using var reader = await command.ExecuteReaderAsync();
        var cells = new List<(string, bool)>();
        while (await reader.ReadAsync()) cells.Add((reader.GetString(0), reader.GetBoolean(1)));
        Assert.Equal([("*", true), ("received", true), ("sent", true)], cells);
    }

    /// <summary>Everything a client reads of a view, in its order.</summary>
    private static string Json(IndicatorView view) => System.Text.Json.JsonSerializer.Serialize(view);

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
