using Coordination.Synthetic;
using static Coordination.Dashboard.Api.Tests.IndicatorTables;

namespace Coordination.Dashboard.Api.Tests;

/// <summary>
/// The benchmark's generator at a tiny volume (the smoke run that keeps it from rotting), and at that scale the
/// monthly totals against the hand-offs themselves.
/// </summary>
public class SyntheticVolumeTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{

    [Fact]
    public async Task Generated_national_activity_is_deterministic_and_every_view_agrees_with_it()
    {
        var until = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        var first = new NationalActivity(7, until);
        var again = new NationalActivity(7, until);
        Assert.Equal(first.Organisations().Concat(first.Referrals(3_000)).Select(s => (s.Id, s.Events.Count)),
            again.Organisations().Concat(again.Referrals(3_000)).Select(s => (s.Id, s.Events.Count)));

        var loaded = await DashboardVolume.LoadAsync(factory.ConnectionString, 7, until, 3_000, TextWriter.Null, CancellationToken.None);
        Assert.InRange(loaded.Events, 3_000, 9_000);

        var coordinator = factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator));
        async Task<IndicatorView> Get(string path) => await (await (await coordinator.GetAsync(path)).HasStatus(HttpStatusCode.OK)).ReadJson<IndicatorView>();

        // Every hand-off of the generated year, read from the hand-offs themselves.
        var year = await Get($"/api/dashboard/indicators/referrals?from={until.AddYears(-1).AddDays(-1):yyyy-MM-dd}&to={until.AddDays(1):yyyy-MM-dd}");
        Assert.Equal(loaded.Persons.ToString(), Table(year, "answers")["total"]["count"]);

        var fromTotals = await Get("/api/dashboard/indicators/referrals");
        var fromFacts = await FromFacts.Referrals(factory, fromTotals);
        foreach (var table in new[] { "directions", "answers", "overdue", "decline-reasons", "needs", "situations", "outcomes", "series" })
            Assert.Equal(Table(fromFacts, table), Table(fromTotals, table));
        Assert.NotEqual("0", Table(fromTotals, "directions")["iscg-to-association"]["sent"]);

        // By week: the national daily totals against the hand-offs themselves.
        var weeks = await Get("/api/dashboard/indicators/referrals?period=week");
        var weeksFromFacts = await FromFacts.Referrals(factory, weeks);
        foreach (var table in new[] { "directions", "answers", "overdue", "decline-reasons", "needs", "situations", "outcomes", "series" })
            Assert.Equal(Table(weeksFromFacts, table), Table(weeks, table));
        Assert.True(Table(weeks, "series").Count >= 10);

        foreach (var view in new[] { "training", "projects" })
            Assert.NotEmpty(Table(await Get($"/api/dashboard/indicators/{view}"), view == "training" ? "by-departement" : "funding"));
    }
}
