using Coordination.Contracts.Projects;
using Coordination.Contracts.Training;
using static Coordination.Dashboard.Api.Tests.IndicatorTables;

namespace Coordination.Dashboard.Api.Tests;

/// <summary>Training and project indicators against small datasets counted by hand, with late and repeated deliveries.</summary>
public class TrainingAndProjectIndicatorsTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static readonly Guid Aav93 = Guid.NewGuid(), Iscg13 = Guid.NewGuid(), Aav75 = Guid.NewGuid();
    private static readonly Guid P1 = Guid.NewGuid(), P2 = Guid.NewGuid(), P3 = Guid.NewGuid();
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static bool seeded;
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly string Until = $"?to={Now.AddDays(30):yyyy-MM-dd}";

    /// <summary>
    /// Training: S1 (93) held, 15 registered of 20, attended ISCG 6 / associations 7 / partners 1, rated 4, 5, 3;
    /// S2 (93) held, 10 of 10, attended 5 / 4 / 0; S3 (13) in ten days, 12 of 12 and 3 waiting (an older count
    /// arrives late); S4 (13) cancelled. Interventions: 13 (25 present), 93 (8 present). Nothing in 75.
    /// Projects: P1 (93, AAV 93) in diagnosis for 120 days, funding FIPD 30 000 requested → 25 000 granted (an older
    /// line state arrives late), CAF 10 000 refused; P2 (13, ISCG 13) running, a milestone overdue; P3 (93, AAV 93)
    /// seeking funding for 10 days with a milestone overdue (reported twice). Support requests: a file review
    /// answered in 2.5 h on P1 (still open: not closed), a legal question still open on P3 (2 days).
    /// </summary>
    private async Task Seed()
    {
        await Gate.WaitAsync();
        try
        {
            if (seeded) return;
            var bus = factory.Services.GetRequiredService<IBus>();
            Task Publish<T>(T message) where T : class => bus.Publish(message, c => c.MessageId = Guid.NewGuid());
            var past = Now.AddDays(-20);

            await Publish(new OrganisationRegistered(Aav93, OrganisationKinds.VictimSupportAssociation, null, null, ["93"], [], true, 1, past));
            await Publish(new OrganisationRegistered(Iscg13, OrganisationKinds.IscgPost, null, "police", ["13"], [], true, 1, past));
            await Publish(new OrganisationRegistered(Aav75, OrganisationKinds.VictimSupportAssociation, null, null, ["75"], [], true, 1, past));

            Guid s1 = Guid.NewGuid(), s2 = Guid.NewGuid(), s3 = Guid.NewGuid(), s4 = Guid.NewGuid(), module = Guid.NewGuid();
            await Publish(new TrainingSessionScheduled(s1, module, 1, "93", "both", 20, past, 1, past.AddDays(-30)));
            await Publish(new TrainingRegistrationsChanged(s1, "93", 20, 15, 0, 3, past.AddDays(-10)));
            await Publish(new TrainingSessionHeld(s1, "93", 20, 15, 6, 7, 1, 5, past.AddHours(8)));
            foreach (var rating in new[] { 4, 5, 3 })
                await Publish(new TrainingEvaluationSubmitted(s1, "93", rating, 6, past.AddDays(1)));
            await Publish(new TrainingSessionScheduled(s2, module, 1, "93", "both", 10, past.AddDays(2), 1, past.AddDays(-30)));
            await Publish(new TrainingSessionHeld(s2, "93", 10, 10, 5, 4, 0, 4, past.AddDays(2).AddHours(8)));
            await Publish(new TrainingSessionScheduled(s3, module, 1, "13", "both", 12, Now.AddDays(10), 1, past));
            await Publish(new TrainingRegistrationsChanged(s3, "13", 12, 12, 3, 4, Now.AddHours(-2)));
            await Publish(new TrainingRegistrationsChanged(s3, "13", 12, 11, 0, 3, Now.AddHours(-3)));
            await Publish(new TrainingSessionScheduled(s4, module, 1, "13", "iscg-workers", 15, Now.AddDays(5), 1, past));
            await Publish(new TrainingSessionCancelled(s4, "13", 2, 0, 3, Now.AddHours(-1)));
            await Publish(new JointInterventionRecorded(Guid.NewGuid(), "13", "presentation-to-police", DateOnly.FromDateTime(past.UtcDateTime), 2, 1, 0, 25, 1, past));
            await Publish(new JointInterventionRecorded(Guid.NewGuid(), "93", "joint-case-review", DateOnly.FromDateTime(past.UtcDateTime), 1, 1, 1, 8, 1, past));

            await Publish(new ProjectStageChanged(P1, "new-iscg-post", ["93"], Aav93, "idea", null, 1, Now.AddDays(-200)));
            await Publish(new ProjectStageChanged(P1, "new-iscg-post", ["93"], Aav93, "diagnosis", "idea", 2, Now.AddDays(-120)));
            Guid fipd = Guid.NewGuid(), caf = Guid.NewGuid();
            await Publish(new ProjectFundingLineChanged(P1, fipd, "state-fipd", 30000m, null, "pending", 3, Now.AddDays(-119)));
            await Publish(new ProjectFundingLineChanged(P1, fipd, "state-fipd", 30000m, 25000m, "granted", 5, Now.AddDays(-100)));
            await Publish(new ProjectFundingLineChanged(P1, fipd, "state-fipd", 30000m, null, "pending", 4, Now.AddDays(-110)));
            await Publish(new ProjectFundingLineChanged(P1, caf, "caf", 10000m, null, "refused", 6, Now.AddDays(-90)));
            await Publish(new ProjectStageChanged(P2, "joint-reception-point", ["13"], Iscg13, "running", "launched", 2, Now.AddDays(-200)));
            await Publish(new ProjectMilestoneOverdue(P2, Guid.NewGuid(), DateOnly.FromDateTime(Now.AddDays(-5).UtcDateTime), 3, Now.AddDays(-4)));
            await Publish(new ProjectStageChanged(P3, "partnership-convention", ["93"], Aav93, "funding-search", "diagnosis", 2, Now.AddDays(-10)));
            var milestone = Guid.NewGuid();
            await Publish(new ProjectMilestoneOverdue(P3, milestone, DateOnly.FromDateTime(Now.AddDays(-2).UtcDateTime), 3, Now.AddDays(-1)));
            await Publish(new ProjectMilestoneOverdue(P3, milestone, DateOnly.FromDateTime(Now.AddDays(-2).UtcDateTime), 3, Now.AddDays(-1)));
            var review = Guid.NewGuid();
            await Publish(new SupportRequestOpened(review, P1, "funding-file-review", 1, Now.AddDays(-5)));
            await Publish(new SupportRequestAnswered(review, P1, "funding-file-review", 2.5, 2, Now.AddDays(-5).AddHours(2.5)));
            await Publish(new SupportRequestOpened(Guid.NewGuid(), P3, "legal-question", 1, Now.AddDays(-2)));

            await HttpClientExtensions.Eventually(async () =>
            {
                foreach (var queue in new[] { "dashboard-training-events", "dashboard-project-events", "dashboard-directory-events" })
                    if (await TestInfrastructure.QueueDepthAsync(factory.Amqp, queue) > 0) return false;
                var training = await Get("training", Roles.NationalCoordinator, query: Until);
                var projects = await Get("projects", Roles.NationalCoordinator);
                // The last message of each queue shows: everything before it has been stored.
                return Table(training, "by-departement").GetValueOrDefault("93")?["interventions"] == "1" && Table(training, "by-departement").Count == 2
                    && Table(projects, "support-requests").Count == 2 && Table(projects, "funding").ContainsKey("caf");
            }, ready => ready, TimeSpan.FromSeconds(30), "all training and project events projected");
            seeded = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task<IndicatorView> Get(string view, string role, Guid? organisation = null, string query = "") =>
        await (await When(() => factory.CreateClient().As(TestTokens.For(role, organisation)).GetAsync($"/api/dashboard/indicators/{view}{query}"))
            .Then(HttpStatusCode.OK)).Body<IndicatorView>();


    [Fact]
    public async Task Training_nationally_counts_sessions_and_hides_small_groups_of_participants()
    {
        await Seed();
        var view = await Get("training", Roles.NationalCoordinator, query: Until);

        var sessions = Table(view, "sessions");
        Assert.Equal(("4", "2", "1"), (sessions["scheduled"]["count"], sessions["held"]["count"], sessions["cancelled"]["count"]));
        var participants = Table(view, "participants");
        Assert.Equal("< 11", participants["partner"]["count"]);
        Assert.Equal("23", participants["total"]["count"]);
        // 11 + 11 + a hidden 1 = 23: one of the two elevens is hidden as well.
        Assert.Single(new[] { participants["iscg"]["count"], participants["association"]["count"] }, v => v == "secret");
        var attendance = Table(view, "attendance");
        Assert.Equal("0.833", attendance["fill-rate"]["value"]);
        Assert.Equal("< 11", attendance["waitlist-now"]["value"]);
        Assert.Null(attendance["mean-satisfaction"]["value"]); // three ratings: not shown nationally

        var byDepartement = Table(view, "by-departement");
        Assert.Equal(("2", "1", "< 11"), (byDepartement["93"]["held-sessions"], byDepartement["93"]["interventions"], byDepartement["93"]["intervention-attendance"]));
        Assert.Equal(("0", "1", "25"), (byDepartement["13"]["held-sessions"], byDepartement["13"]["interventions"], byDepartement["13"]["intervention-attendance"]));
        Assert.Equal(["75"], Table(view, "without-joint-training").Keys);
    }

    [Fact]
    public async Task An_organisation_sees_the_training_of_its_territory_unsuppressed()
    {
        await Seed();
        var aav = await Get("training", Roles.AssociationStaff, Aav93, Until);
        Assert.Equal("1", Table(aav, "participants")["partner"]["count"]);
        Assert.Equal("4", Table(aav, "attendance")["mean-satisfaction"]["value"]);
        Assert.Equal("0", Table(aav, "attendance")["waitlist-now"]["value"]);
        Assert.Equal(["93"], Table(aav, "by-departement").Keys);

        var iscg = await Get("training", Roles.IscgWorker, Iscg13, Until);
        Assert.Equal("3", Table(iscg, "attendance")["waitlist-now"]["value"]);
        Assert.Equal("1", Table(iscg, "sessions")["cancelled"]["count"]);

        var iscgNetwork = await Get("training", Roles.NationalCoordinator, query: Until + "&network=partner");
        Assert.Equal("0", Table(iscgNetwork, "sessions")["scheduled"]["count"]);
    }

    [Fact]
    public async Task Projects_by_stage_funding_support_and_stuck()
    {
        await Seed();
        var view = await Get("projects", Roles.NationalCoordinator);
        var stages = Table(view, "stages");
        Assert.Equal(("1", "1", "1", "0"), (stages["diagnosis"]["count"], stages["running"]["count"], stages["funding-search"]["count"], stages["idea"]["count"]));
        Assert.Equal("1", Table(view, "types")["new-iscg-post"]["count"]);

        var funding = Table(view, "funding");
        Assert.Equal(("30000.00", "25000.00", "0"), (funding["state-fipd"]["requested"], funding["state-fipd"]["granted"], funding["state-fipd"]["pending-lines"]));
        Assert.Equal(("10000.00", "0.00", "1"), (funding["caf"]["requested"], funding["caf"]["granted"], funding["caf"]["refused-lines"]));
        Assert.Equal("40000.00", funding["total"]["requested"]);

        var stuck = Table(view, "stuck");
        Assert.Equal(new HashSet<string> { P1.ToString(), P3.ToString() }, stuck.Keys.ToHashSet());
        Assert.Equal(("diagnosis", "120", "0"), (stuck[P1.ToString()]["stage"], stuck[P1.ToString()]["days-in-stage"], stuck[P1.ToString()]["overdue-milestones"]));
        Assert.Equal("1", stuck[P3.ToString()]["overdue-milestones"]);

        var support = Table(view, "support-requests");
        Assert.Equal(("1", "1", "2.5"), (support["funding-file-review"]["open"], support["funding-file-review"]["answered"], support["funding-file-review"]["median-response-hours"]));
        Assert.Equal(("1", "2"), (support["legal-question"]["open"], support["legal-question"]["median-open-days"]));
    }

    [Fact]
    public async Task Projects_narrow_to_a_departement_and_to_the_projects_an_organisation_leads()
    {
        await Seed();
        var marseille = await Get("projects", Roles.NationalCoordinator, query: "?departement=13");
        Assert.Equal("1", Table(marseille, "stages")["running"]["count"]);
        Assert.Equal("0", Table(marseille, "stages")["diagnosis"]["count"]);
        Assert.Empty(Table(marseille, "stuck"));

        var aav = await Get("projects", Roles.AssociationStaff, Aav93);
        Assert.Equal("0", Table(aav, "stages")["running"]["count"]);
        Assert.Equal(2, Table(aav, "stuck").Count);
    }

    [Fact]
    public async Task Rebuilding_by_replay_gives_the_same_training_and_project_views()
    {
        await Seed();
        var coordinator = factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator));
        async Task<string> Views() =>
            await (await coordinator.GetAsync("/api/dashboard/indicators/training" + Until)).Content.ReadAsStringAsync()
            + await (await coordinator.GetAsync("/api/dashboard/indicators/projects" + Until)).Content.ReadAsStringAsync();
        var before = await Views();
        await Rebuilds.SucceedsAsync(factory.CreateClient().As(TestTokens.For(Roles.Admin)));
        Assert.Contains("\"state-fipd\"", before);
        Assert.Equal(before, await Views());
    }
}
