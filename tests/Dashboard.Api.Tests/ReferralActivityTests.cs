using System.Text;

namespace Coordination.Dashboard.Api.Tests;

/// <summary>Indicators against a small dataset computed by hand, through the real RabbitMQ into the Dashboard's streams.</summary>
public class ReferralActivityTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static readonly Guid IscgBobigny = Guid.NewGuid();
    private static readonly Guid AavBobigny = Guid.NewGuid();
    private static readonly Guid AavLyon = Guid.NewGuid();
    private static readonly DateTimeOffset Day = DateTimeOffset.UtcNow.AddDays(-3);
    private static readonly SeedOnce Seeding = new();

    private HttpClient Client(string role, Guid? organisation = null) => factory.CreateClient().As(TestTokens.For(role, organisation));

    private async Task<ReferralActivity> Activity(string role, Guid? organisation = null, string query = "") =>
        await (await Client(role, organisation).GetAsync("/api/dashboard/referral-activity" + query)).ReadJson<ReferralActivity>();

    /// <summary>93: 14 hand-offs ISCG → AAV (12 accepted, 2 declined); 69: 4 sent to AAV Lyon (3 still sent, 1 accepted).</summary>
    private Task Seed() => Seeding.RunAsync(async () =>
    {
        async Task Send(Guid receiver, string departement, string? then)
        {
            var id = Guid.NewGuid();
            await factory.Publish(new ReferralSent(id, IscgBobigny, receiver, departement, "standard", "intrafamily-violence", ["sante--sante-mentale"],
                false, false, Day.AddDays(5), Day.AddDays(30), null, 3, Day));
            if (then == "accepted")
                await factory.Publish(new ReferralAccepted(id, IscgBobigny, receiver, departement, "standard", 5, Day.AddHours(2)));
            if (then == "declined")
                await factory.Publish(new ReferralDeclined(id, IscgBobigny, receiver, departement, "standard", ["no-capacity"], "organisation", 4, Day.AddHours(1)));
        }
        for (var i = 0; i < 12; i++) await Send(AavBobigny, "93", "accepted");
        for (var i = 0; i < 2; i++) await Send(AavBobigny, "93", "declined");
        for (var i = 0; i < 3; i++) await Send(AavLyon, "69", null);
        await Send(AavLyon, "69", "accepted");
        await HttpClientExtensions.Eventually(() => Activity(Roles.IscgWorker, IscgBobigny), activity => activity.Total == "18",
            TimeSpan.FromSeconds(30), "all hand-offs projected");
        // The last message published (Lyon's acceptance) shows: everything before it has been stored.
        await HttpClientExtensions.Eventually(() => Activity(Roles.AssociationStaff, AavLyon),
            lyon => lyon.Rows.FirstOrDefault()?.Counts["accepted"] == "1", TimeSpan.FromSeconds(30), "the last acceptance projected");
    });

    [Fact]
    public async Task The_national_view_hides_small_counts_and_what_would_give_them_away()
    {
        await Given(Seed);

        var view = await When(() => Client(Roles.NationalCoordinator).GetAsync("/api/dashboard/referral-activity"))
            .Then<ReferralActivity>(HttpStatusCode.OK, activity => Assert.Equal("national", activity.Scope));

        Assert.True(view.Suppressed);
        var rows = view.Rows.ToDictionary(row => row.Departement);
        // 93: 2 declined is small; with the total (14) published, 12 accepted would give it away, so it is hidden too.
        Assert.Equal("< 11", rows["93"].Counts["declined"]);
        Assert.Equal("secret", rows["93"].Counts["accepted"]);
        Assert.Equal("< 11", rows["69"].Counts["sent"]);
        // 69's total (4) is small; the national total (18) is published, so 93's total is hidden too.
        Assert.Equal("< 11", rows["69"].Total);
        Assert.Equal("secret", rows["93"].Total);
        Assert.Equal("18", view.Total);
        Assert.Equal("Seine-Saint-Denis", rows["93"].DepartementName);
        Assert.DoesNotContain(rows.Values.SelectMany(row => row.Counts.Values).Concat(view.ColumnTotals.Values),
            count => int.TryParse(count, out var n) && n is > 0 and < 11);
    }

    [Fact]
    public async Task An_organisation_sees_its_own_figures_unsuppressed_and_nothing_else()
    {
        await Given(Seed);

        var lyon = await When(() => Client(Roles.AssociationStaff, AavLyon).GetAsync("/api/dashboard/referral-activity"))
            .Then<ReferralActivity>(HttpStatusCode.OK, activity => Assert.Equal("organisation", activity.Scope));

        Assert.False(lyon.Suppressed);
        var row = Assert.Single(lyon.Rows);
        Assert.Equal("69", row.Departement);
        Assert.Equal("3", row.Counts["sent"]);
        Assert.Equal("1", row.Counts["accepted"]);
        Assert.Equal("0", row.Counts["declined"]);
        Assert.Equal("4", row.Total);
        Assert.Equal("4", lyon.Total);
    }

    [Fact]
    public async Task The_csv_export_is_what_french_spreadsheets_expect_and_stays_suppressed()
    {
        await Given(Seed);

        var answer = await When(() => Client(Roles.NationalCoordinator).GetAsync("/api/dashboard/referral-activity.csv")).Then(HttpStatusCode.OK);

        var bytes = await answer.Response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        Assert.Equal("text/csv", answer.Response.Content.Headers.ContentType!.MediaType);
        var lines = Encoding.UTF8.GetString(bytes.AsSpan(3)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("departement;nom;sent;acknowledged;on-hold;accepted;in-progress;completed;declined;redirected;withdrawn;expired;total", lines[0]);
        Assert.Equal("69;Rhône;< 11;0;0;< 11;0;0;0;0;0;0;< 11", lines.Single(line => line.StartsWith("69;")));
        Assert.StartsWith("93;Seine-Saint-Denis;0;0;0;secret;0;0;< 11;", lines.Single(line => line.StartsWith("93;")));
        Assert.EndsWith(";18", lines[^1]);
    }

    [Fact]
    public async Task Rebuilding_by_replay_gives_the_same_figures()
    {
        await Given(Seed);
        var coordinator = Client(Roles.NationalCoordinator);
        var window = $"/api/dashboard/referral-activity?from={Day.AddDays(-1):yyyy-MM-dd}&to={Day.AddDays(2):yyyy-MM-dd}";
        var before = await (await coordinator.GetAsync(window)).Content.ReadAsStringAsync();
        var organisationsBefore = await (await coordinator.GetAsync("/api/dashboard/organisations-by-departement")).Content.ReadAsStringAsync();

        await Rebuilds.SucceedsAsync(Client(Roles.Admin));

        Assert.Contains("\"total\":\"18\"", before);
        Assert.Equal(before, await (await coordinator.GetAsync(window)).Content.ReadAsStringAsync());
        Assert.Equal(organisationsBefore, await (await coordinator.GetAsync("/api/dashboard/organisations-by-departement")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Timings_per_urgency_tier_are_hidden_under_11_nationally_and_shown_to_the_organisation()
    {
        await Given(Seed);

        var national = await When(() => Client(Roles.NationalCoordinator).GetAsync("/api/dashboard/referral-timings"))
            .Then<ReferralTimings>(HttpStatusCode.OK, timings => Assert.Equal("national", timings.Scope));
        var standard = national.Rows.Single(row => row.Urgency == "standard");
        // 18 standard hand-offs; 15 answered (13 accepted after 2 h, 2 declined after 1 h): 15 ≥ 11, so shown.
        Assert.Equal("18", standard.Sent);
        Assert.Equal(2.0, standard.MedianHoursToAcknowledge);
        Assert.Equal(Math.Round(15.0 / 18, 3), standard.ShareAcknowledgedInTime);
        Assert.Null(standard.MedianHoursToFirstContact);
        // No immediate hand-off: nothing measured, nothing shown.
        var immediate = national.Rows.Single(row => row.Urgency == "immediate");
        Assert.Equal("0", immediate.Sent);
        Assert.Null(immediate.MedianHoursToAcknowledge);

        var lyon = await When(() => Client(Roles.AssociationStaff, AavLyon).GetAsync("/api/dashboard/referral-timings"))
            .Then<ReferralTimings>(HttpStatusCode.OK, timings => Assert.Equal("organisation", timings.Scope));
        var mine = lyon.Rows.Single(row => row.Urgency == "standard");
        Assert.Equal("4", mine.Sent);
        Assert.Equal(2.0, mine.MedianHoursToAcknowledge);
        Assert.Equal(0.25, mine.ShareAcknowledgedInTime);
    }

    [Fact]
    public async Task Nobody_without_a_role_in_the_agreement_reads_indicators_and_every_view_says_so_alike()
    {
        await When(() => factory.CreateClient().GetAsync("/api/dashboard/referral-activity")).Then(HttpStatusCode.Unauthorized);
        var refusals = new List<Problem>();
        foreach (var path in new[] { "referral-activity", "referral-activity.csv", "referral-timings", "indicators/referrals" })
            refusals.Add(await (await When(() => Client("service").GetAsync("/api/dashboard/" + path)).Then(HttpStatusCode.Forbidden)).Problem());
        // One access rule, one French message, whichever view is asked.
        Assert.All(refusals, problem => Assert.Equal((refusals[0].Title, refusals[0].Detail), (problem.Title, problem.Detail)));
        Assert.Contains("réservés aux coordinateurs nationaux", refusals[0].Detail);
    }

    [Fact]
    public async Task Bad_dates_get_a_french_problem_like_every_indicator_view()
    {
        var problem = await (await When(() => Client(Roles.NationalCoordinator).GetAsync("/api/dashboard/referral-timings?from=hier"))
            .Then(HttpStatusCode.BadRequest)).Problem();
        Assert.Contains("Date invalide", Assert.Single(problem.Errors!["from"]));
    }
}
