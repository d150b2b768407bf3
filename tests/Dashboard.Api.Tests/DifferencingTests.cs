namespace Coordination.Dashboard.Api.Tests;

/// <summary>
/// Periods are whole days in Paris time, so two overlapping periods differ by whole days and cannot single out the
/// hand-offs of a few hours. Before, <c>from</c>/<c>to</c> to the second let 12 morning and 1 afternoon hand-offs be
/// told apart (13 − 12 = 1).
/// </summary>
public class DifferencingTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private static readonly DateOnly Day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Paris).DateTime).AddDays(-4);

    private static DateTimeOffset InParis(DateOnly day, int hour)
    {
        var local = day.ToDateTime(new TimeOnly(hour, 0));
        return new DateTimeOffset(local, Paris.GetUtcOffset(local));
    }

    private async Task Seed()
    {
        Guid iscg = Guid.NewGuid(), aav = Guid.NewGuid();
        await factory.Publish(new OrganisationRegistered(iscg, OrganisationKinds.IscgPost, null, "gendarmerie", ["48"], [], true, 1, InParis(Day, 0).AddDays(-30)));
        await factory.Publish(new OrganisationRegistered(aav, OrganisationKinds.VictimSupportAssociation, null, null, ["48"], [], true, 1, InParis(Day, 0).AddDays(-30)));
        // 12 in the morning, 1 in the afternoon: the afternoon one alone is a count of 1.
        foreach (var at in Enumerable.Repeat(InParis(Day, 9), 12).Append(InParis(Day, 15)))
            await factory.Publish(new ReferralSent(Guid.NewGuid(), iscg, aav, "48", "standard", "assault", [], false, false, at.AddDays(2), at.AddDays(30), null, 3, at));
        await HttpClientExtensions.Eventually(() => Total($"from={Day:yyyy-MM-dd}&to={Day.AddDays(1):yyyy-MM-dd}"), total => total == "13",
            TimeSpan.FromSeconds(30), "the day's hand-offs projected");
    }

    private HttpClient Coordinator => factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator));

    private async Task<string?> Total(string period) =>
        (await (await When(() => Coordinator.GetAsync($"/api/dashboard/indicators/referrals?departement=48&period=day&{period}"))
            .Then(HttpStatusCode.OK)).Body<IndicatorView>()).Table("answers")["total"]["count"];

    [Fact]
    public async Task Two_overlapping_periods_cannot_reveal_a_suppressed_count()
    {
        await Seed();

        // The attack of before: the morning against the whole day, to the second. Refused, in French.
        foreach (var (from, to) in new[] { (InParis(Day, 0), InParis(Day, 14)), (InParis(Day, 0), InParis(Day, 16)) })
        {
            var query = $"from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}";
            var problem = await (await When(() => Coordinator.GetAsync($"/api/dashboard/indicators/referrals?departement=48&{query}"))
                .Then(HttpStatusCode.BadRequest)).Problem();
            Assert.Contains("journées entières", Assert.Single(problem.Errors!["from"]));
        }

        // Every whole-day period around that day, each against every other: no difference is a count of 1 to 10.
        var days = Enumerable.Range(-2, 5).Select(offset => Day.AddDays(offset)).ToList();
        var totals = new List<int>();
        foreach (var from in days)
            foreach (var to in days.Where(to => to > from))
                totals.Add(int.Parse((await Total($"from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}"))!));
        Assert.Contains(13, totals);
        Assert.DoesNotContain(totals.SelectMany(a => totals.Select(b => Math.Abs(a - b))), difference => difference is > 0 and < 11);
    }
}
