namespace Coordination.Dashboard.Api.Tests;

/// <summary>
/// A period beside the same period a year before, against hand-offs counted by hand and delivered through the real
/// RabbitMQ: both periods suppressed on their own, and a change hidden when the two counts differ by 1 to 10 persons.
/// </summary>
public class YearOnYearTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static readonly Guid Iscg = Guid.NewGuid(), Aav = Guid.NewGuid();
    private static readonly DateTimeOffset Day = new(DateTime.UtcNow.Date.AddDays(-2).AddHours(10), TimeSpan.Zero);
    private static readonly DateTimeOffset YearBefore = Day.AddYears(-1);
    private static readonly string Window = $"from={Day.AddDays(-10):yyyy-MM-dd}&to={Day.AddDays(3):yyyy-MM-dd}&period=month&compare=previous-year";
    private static readonly SeedOnce Seeding = new();

    /// <summary>
    /// In 22, ISCG → AAV. This year: 40 sent (20 immediate, 20 standard), 35 accepted, 5 declined.
    /// A year before: 25 sent (14 immediate, 11 standard), 22 accepted, 3 declined.
    /// </summary>
    private Task Seed() => Seeding.RunAsync(async () =>
    {
        await factory.Publish(new OrganisationRegistered(Iscg, OrganisationKinds.IscgPost, null, "gendarmerie", ["22"], [], true, 1, YearBefore.AddDays(-30)));
        await factory.Publish(new OrganisationRegistered(Aav, OrganisationKinds.VictimSupportAssociation, null, null, ["22"], [], true, 1, YearBefore.AddDays(-30)));

        async Task Sent(DateTimeOffset at, int immediate, int standard, int declined)
        {
            for (var i = 0; i < immediate + standard; i++)
            {
                var id = Guid.NewGuid();
                var urgency = i < immediate ? "immediate" : "standard";
                await factory.Publish(new ReferralSent(id, Iscg, Aav, "22", urgency, "assault", ["famille--violences-intrafamiliales"], false, false,
                    at.AddHours(2), at.AddDays(30), null, 3, at));
                if (i < declined) await factory.Publish(new ReferralDeclined(id, Iscg, Aav, "22", urgency, ["no-capacity"], "organisation", 4, at.AddHours(1)));
                else await factory.Publish(new ReferralAccepted(id, Iscg, Aav, "22", urgency, 4, at.AddHours(1)));
            }
        }
        await Sent(YearBefore, 14, 11, 3);
        await Sent(Day, 20, 20, 5);

        await HttpClientExtensions.Eventually(async () =>
        {
            var view = await Get(Roles.AssociationStaff, Aav, "?" + Window);
            return view.Table("by-side")["received"]["total"] + "/" + view.Table("by-side")["received"]["total" + Previous];
        }, totals => totals == "40/25", TimeSpan.FromSeconds(30), "both years projected");
    });

    private const string Previous = ":previous-year", Change = ":change-percent";

    private HttpClient Client(string role, Guid? organisation = null) => factory.CreateClient().As(TestTokens.For(role, organisation));

    private async Task<IndicatorView> Get(string role, Guid? organisation, string query, string view = "organisation") =>
        await (await When(() => Client(role, organisation).GetAsync($"/api/dashboard/indicators/{view}{query}")).Then(HttpStatusCode.OK)).Body<IndicatorView>();

    private static string Cells(IReadOnlyDictionary<string, string?> row, string column) =>
        $"{row[column] ?? "—"} {row[column + Previous] ?? "—"} {row[column + Change] ?? "—"}";

    [Fact]
    public async Task A_coordinator_sees_both_years_suppressed_and_a_change_only_where_it_hides_nobody()
    {
        await Seed();
        var view = await Get(Roles.NationalCoordinator, null, "?departement=22&" + Window, "referrals");
        Assert.NotNull(view.Compared);
        Assert.Equal(view.From.AddYears(-1), view.Compared!.From, TimeSpan.FromHours(1));

        var answers = view.Table("answers");
        Assert.Equal("40 25 60", Cells(answers["total"], "count"));
        // Declined hidden in both years, and accepted with it (the total would give it back): no change either.
        Assert.Equal("< 11 < 11 —", Cells(answers["declined"], "count"));
        Assert.Equal("secret secret —", Cells(answers["accepted"], "count"));
        // Both published, but 6 and 9 more persons: a change would let anyone compute a count of fewer than 11.
        Assert.Equal("20 14 —", Cells(view.Table("timings")["immediate"], "sent"));
        Assert.Equal("20 11 —", Cells(view.Table("timings")["standard"], "sent"));
        Assert.Equal("40 25 60", Cells(Assert.Single(view.Table("series").Values), "sent"));
    }

    [Fact]
    public async Task Staff_compare_their_own_figures_unsuppressed()
    {
        await Seed();
        var view = await Get(Roles.AssociationStaff, Aav, "?" + Window);
        Assert.False(view.Suppressed);
        Assert.Equal("5 3 66.7", Cells(view.Table("by-side")["received"], "declined"));
        Assert.Equal("20 14 42.9", Cells(view.Table("timings-received")["immediate"], "count"));
        Assert.Equal("40 25 60", Cells(Assert.Single(view.Table("trend").Values), "received"));
    }

    [Fact]
    public async Task A_comparison_covers_a_year_at_most_and_names_a_known_kind()
    {
        var client = Client(Roles.NationalCoordinator);
        var unknown = await (await When(() => client.GetAsync("/api/dashboard/indicators/referrals?compare=last-week")).Then(HttpStatusCode.BadRequest)).Problem();
        Assert.Contains("Comparaison inconnue", Assert.Single(unknown.Errors!["compare"]));
        var overlapping = await (await When(() => client.GetAsync("/api/dashboard/indicators/training?from=2024-01-01&to=2025-06-01&compare=previous-year"))
            .Then(HttpStatusCode.BadRequest)).Problem();
        Assert.Contains("chevaucher", Assert.Single(overlapping.Errors!["compare"]));
    }
}
