using System.Net;
using Coordination.Contracts.Directory;
using Coordination.Contracts.Referrals;
using Coordination.Contracts.Training;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Coordination.Testing.Specification;

namespace Coordination.Dashboard.Api.Tests;

/// <summary>
/// One association's own dashboard, against hand-offs and a training session counted by hand, delivered through the
/// real RabbitMQ: each side of its hand-offs, its delays against the tiers' deadlines, declines given and received.
/// </summary>
public class OrganisationDashboardTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static readonly Guid Iscg = Guid.NewGuid(), Aav = Guid.NewGuid(), Partner = Guid.NewGuid();
    private static readonly DateTimeOffset Day = DateTimeOffset.UtcNow.AddDays(-2);
    private const string Need = "famille--violences-intrafamiliales", OtherNeed = "logement-hebergement--mal-loges-sans-logis";
    private static readonly SeedOnce Seeding = new();

    /// <summary>
    /// In 35. ISCG → AAV, immediate (deadline 2 h), need A: 3 accepted after 1 h (2 first contacted after 4 h, 1 completed "helped"),
    /// 1 declined after 3 h (no-capacity, late). AAV → ISCG, standard (deadline 48 h), need B: 1 declined after 10 h (outside-remit),
    /// 1 still waiting past its deadline. AAV → partner, within 24 hours (deadline 24 h), need A: pending.
    /// One session held: 2 of the AAV's staff and 1 of the ISCG's; another session without the AAV.
    /// </summary>
    private Task Seed() => Seeding.RunAsync(async () =>
    {
        await factory.Publish(new OrganisationRegistered(Iscg, OrganisationKinds.IscgPost, null, "police", ["35"], [], true, 1, Day.AddDays(-30)));
        await factory.Publish(new OrganisationRegistered(Aav, OrganisationKinds.VictimSupportAssociation, null, null, ["35"], [Need], true, 1, Day.AddDays(-30)));
        await factory.Publish(new OrganisationRegistered(Partner, OrganisationKinds.Partner, "ccas-cias", null, ["35"], [], true, 1, Day.AddDays(-30)));
        Task Send(Guid id, Guid from, Guid to, string urgency, string need, double deadlineHours) =>
            factory.Publish(new ReferralSent(id, from, to, "35", urgency, "assault", [need], false, false, Day.AddHours(deadlineHours), Day.AddDays(30), null, 3, Day));

        for (var i = 0; i < 4; i++)
        {
            var id = Guid.NewGuid();
            await Send(id, Iscg, Aav, "immediate", Need, 2);
            if (i == 3)
            {
                await factory.Publish(new ReferralDeclined(id, Iscg, Aav, "35", "immediate", ["no-capacity"], "organisation", 4, Day.AddHours(3)));
                continue;
            }
            await factory.Publish(new ReferralAccepted(id, Iscg, Aav, "35", "immediate", 4, Day.AddHours(1)));
            if (i < 2) await factory.Publish(new ReferralFirstContactRecorded(id, Iscg, Aav, "35", "immediate", Day.AddHours(4), 5, Day.AddHours(4)));
            if (i == 0) await factory.Publish(new ReferralCompleted(id, Iscg, Aav, "35", "immediate", "helped", 6, Day.AddHours(30)));
        }
        var declined = Guid.NewGuid();
        await Send(declined, Aav, Iscg, "standard", OtherNeed, 48);
        await factory.Publish(new ReferralDeclined(declined, Aav, Iscg, "35", "standard", ["outside-remit"], "organisation", 4, Day.AddHours(10)));
        var waiting = Guid.NewGuid();
        await Send(waiting, Aav, Iscg, "standard", OtherNeed, 48);
        await factory.Publish(new ReferralOverdue(waiting, Aav, Iscg, "35", "standard", Day.AddHours(48), 4, Day.AddHours(48)));
        await Send(Guid.NewGuid(), Aav, Partner, "within-24-hours", Need, 24);

        var session = Guid.NewGuid();
        await factory.Publish(new TrainingSessionScheduled(session, Guid.NewGuid(), 1, "35", "both", 10, Day, 1, Day.AddDays(-10)));
        await factory.Publish(new TrainingSessionHeld(session, "35", 10, 4, 1, 2, 0, 2, Day.AddHours(3), [new(Aav, 2), new(Iscg, 1)]));
        var other = Guid.NewGuid();
        await factory.Publish(new TrainingSessionScheduled(other, Guid.NewGuid(), 1, "35", "both", 10, Day, 1, Day.AddDays(-10)));
        await factory.Publish(new TrainingSessionHeld(other, "35", 10, 4, 1, 0, 0, 2, Day.AddHours(3), [new(Iscg, 1)]));

        await HttpClientExtensions.Eventually(async () =>
        {
            var view = await Get(Roles.AssociationStaff, Aav);
            return view.Table("by-side")["sent"]["total"] == "3" && view.Table("by-side")["received"]["total"] == "4"
                && view.Table("by-side")["sent"]["overdue-now"] == "1" && view.Table("outcomes").ContainsKey("helped")
                && view.Table("training")["sessions-attended"]["count"] == "1" ? 1 : 0;
        }, ready => ready == 1, TimeSpan.FromSeconds(30), "the association's hand-offs projected");
    });

    private HttpClient Client(string role, Guid? organisation = null) => factory.CreateClient().As(TestTokens.For(role, organisation));

    private async Task<IndicatorView> Get(string role, Guid? organisation = null, string query = "") =>
        await (await When(() => Client(role, organisation).GetAsync("/api/dashboard/indicators/organisation" + query))
            .Then(HttpStatusCode.OK)).Body<IndicatorView>();

    private static string Cells(IReadOnlyDictionary<string, string?> row, params string[] columns) =>
        string.Join(" ", columns.Select(column => row[column] ?? "—"));

    [Fact]
    public async Task Staff_see_each_side_of_their_hand_offs_unsuppressed()
    {
        await Seed();
        var view = await Get(Roles.AssociationStaff, Aav, "?period=year");
        Assert.Equal(("organisation", false, Aav), (view.Scope, view.Suppressed, view.Organisation!.Value));

        var sides = view.Table("by-side");
        Assert.Equal("2 0 1 0 3 1", Cells(sides["sent"], "pending", "accepted", "declined", "redirected", "total", "overdue-now"));
        Assert.Equal("0 3 1 4 0", Cells(sides["received"], "pending", "accepted", "declined", "total", "overdue-now"));

        // Acknowledged after 1, 1, 1 and 3 hours: median 1, p90 1 + 0.7 × 2 (interpolated); 3 of 4 within the 2-hour deadline.
        Assert.Equal("4 2 1 2.4 0.75 4 4", Cells(view.Table("timings-received")["immediate"], "count", "deadline-hours",
            "median-hours-to-acknowledge", "p90-hours-to-acknowledge", "share-acknowledged-in-time", "median-hours-to-first-contact", "p90-hours-to-first-contact"));
        var answered = view.Table("timings-sent");
        Assert.Equal("2 48 10 0.5", Cells(answered["standard"], "count", "deadline-hours", "median-hours-to-acknowledge", "share-acknowledged-in-time"));
        Assert.Equal("1 24 — —", Cells(answered["within-24-hours"], "count", "deadline-hours", "median-hours-to-acknowledge", "share-acknowledged-in-time"));

        Assert.Equal(("1", "0"), (view.Table("decline-reasons")["no-capacity"]["given"], view.Table("decline-reasons")["no-capacity"]["received"]));
        Assert.Equal(("0", "1"), (view.Table("decline-reasons")["outside-remit"]["given"], view.Table("decline-reasons")["outside-remit"]["received"]));
        Assert.Equal(("0", "1"), (view.Table("outcomes")["helped"]["sent"], view.Table("outcomes")["helped"]["received"]));
        Assert.Equal(("1", "4"), (view.Table("needs")[Need]["sent"], view.Table("needs")[Need]["received"]));
        Assert.Equal(("2", "0"), (view.Table("needs")[OtherNeed]["sent"], view.Table("needs")[OtherNeed]["received"]));
        var trend = Assert.Single(view.Table("trend").Values);
        Assert.Equal(("3", "4"), (trend["sent"], trend["received"]));
        Assert.Equal(("1", "2"), (view.Table("training")["sessions-attended"]["count"], view.Table("training")["staff-attendances"]["count"]));
    }

    [Fact]
    public async Task Coordinators_read_one_organisation_suppressed_and_must_name_it()
    {
        await Seed();
        var view = await Get(Roles.NationalCoordinator, query: $"?organisation={Aav}&period=year");
        Assert.True(view.Suppressed);
        Assert.Equal("< 11", view.Table("by-side")["received"]["accepted"]);
        Assert.Null(view.Table("timings-received")["immediate"]["median-hours-to-acknowledge"]);

        var problem = await (await When(() => Client(Roles.NationalCoordinator).GetAsync("/api/dashboard/indicators/organisation"))
            .Then(HttpStatusCode.BadRequest)).Problem();
        Assert.Contains("l'organisation", Assert.Single(problem.Errors!["organisation"]));
        await When(() => Client(Roles.IscgWorker, Iscg).GetAsync($"/api/dashboard/indicators/organisation?organisation={Aav}")).Then(HttpStatusCode.Forbidden);
        var iscg = await Get(Roles.IscgWorker, Iscg, "?period=year");
        Assert.Equal(("4", "2"), (iscg.Table("by-side")["sent"]["total"], iscg.Table("by-side")["received"]["total"]));
    }
}
