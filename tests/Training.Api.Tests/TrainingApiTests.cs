using System.Net;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Coordination.Training.Interventions;
using Coordination.Training.Modules;
using Coordination.Training.Sessions;
using Coordination.Training.Sessions.GettingDetails;
using Xunit;
using static Coordination.Testing.Specification;

namespace Coordination.Training.Api.Tests;

public class TrainingApiTests(TrainingFactory factory) : IClassFixture<TrainingFactory>
{
    private const string AttendanceCertificateNotFound = "Aucune attestation de présence pour cette personne à cette session.";

    private readonly TrainingClients api = new(factory);

    [Fact]
    public async Task Two_people_racing_for_the_last_place_one_gets_it_the_other_is_waitlisted()
    {
        var (session, _) = await Given(() => api.Session(capacity: 1));
        var first = api.Staff("racer-1").PostAsync($"/api/training/sessions/{session}/registrations", null);
        var second = api.Staff("racer-2", Roles.IscgWorker).PostAsync($"/api/training/sessions/{session}/registrations", null);

        var responses = await Task.WhenAll(first, second);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        var roster = await api.Roster(session);
        Assert.Single(roster.Registered);
        Assert.Single(roster.Waitlist);
        Assert.Equal(SessionStatus.Full, roster.Status);
    }

    [Fact]
    public async Task A_full_session_puts_you_on_the_waiting_list_and_a_cancellation_gives_you_the_place()
    {
        var (session, _) = await Given(() => api.Session(capacity: 1));
        await Given(() => api.Register("first", session), () => api.Register("second", session));

        var again = await When(() => api.Staff("second").PostAsync($"/api/training/sessions/{session}/registrations", null))
            .Then(HttpStatusCode.Conflict);

        Assert.Contains("déjà inscrite", (await again.Problem()).Detail);
        var waiting = await api.View(api.Staff("second"), session);
        Assert.Equal((MyRegistration.Waitlisted, 1), (waiting.Me, waiting.MyWaitlistPosition));

        await When(() => api.Staff("first").DeleteAsync($"/api/training/sessions/{session}/registrations/mine")).Then(HttpStatusCode.NoContent);

        var promoted = await api.View(api.Staff("second"), session);
        Assert.Equal((MyRegistration.Registered, 0), (promoted.Me, promoted.Waitlisted));
        var mine = await When(() => api.Staff("second").GetAsync("/api/training/registrations/mine"))
            .Then<List<SessionView>>(HttpStatusCode.OK);
        Assert.Contains(mine, s => s.Id == session && s.Me == MyRegistration.Registered);
    }

    [Fact]
    public async Task Registration_closes_before_the_session()
    {
        var (session, _) = await Given(() => api.Session(capacity: 10));
        factory.Clock.Advance(TimeSpan.FromDays(9)); // one day before: closed (two days before by default)
        try
        {
            var late = await When(() => api.Staff("late").PostAsync($"/api/training/sessions/{session}/registrations", null))
                .Then(HttpStatusCode.Conflict);

            Assert.Contains("closes", (await late.Problem()).Detail);
            Assert.DoesNotContain("register", (await api.View(api.Staff("late"), session)).AllowedActions);
        }
        finally
        {
            factory.Clock.Advance(TimeSpan.FromDays(-9));
        }
    }

    [Fact]
    public async Task Attendance_then_evaluation_then_a_french_certificate()
    {
        var (session, _) = await Given(() => api.Session(capacity: 10, trainerUserId: "trainer-sonia"));
        await Given(() => api.Register("camille", session), () => api.Register("absent", session));
        factory.Clock.Advance(TimeSpan.FromDays(10).Add(TimeSpan.FromHours(3)));
        try
        {
            var trainer = factory.CreateClient().As(TestTokens.For(Roles.IscgWorker, TrainingFactory.IscgPost, "trainer-sonia"));
            var before = await api.View(trainer, session);
            await When(() => trainer.SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/attendance",
                new { present = new[] { "camille" } }, $"\"{before.Version}\"")).Then(HttpStatusCode.NoContent);

            await When(() => api.Staff("camille").SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/evaluations",
                new { rating = 5, comment = "Très concret." })).Then(HttpStatusCode.NoContent);
            var absent = await When(() => api.Staff("absent").SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/evaluations",
                new { rating = 1 })).Then(HttpStatusCode.Conflict);
            Assert.Contains("présentes", (await absent.Problem()).Detail);
            var outOfRange = await When(() => api.Staff("camille").SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/evaluations",
                new { rating = 9 })).Then(HttpStatusCode.BadRequest);
            Assert.Contains("rating", (await outOfRange.Problem()).Errors!.Keys);

            var certificate = await When(() => api.Staff("camille").GetAsync($"/api/training/sessions/{session}/certificates/camille"))
                .Then(HttpStatusCode.OK);
            var html = await certificate.Response.Content.ReadAsStringAsync();
            Assert.Equal("text/html", certificate.Response.Content.Headers.ContentType!.MediaType);
            Assert.Contains("Attestation de présence", html);
            Assert.Contains("Accueil des victimes de violences conjugales", html);
            Assert.Contains("3 heures", html);
            // Someone else's certificate reads exactly like one that does not exist.
            var notMine = await When(() => api.Staff("absent").GetAsync($"/api/training/sessions/{session}/certificates/camille"))
                .Then(HttpStatusCode.NotFound);
            var notAttended = await When(() => api.Staff("absent").GetAsync($"/api/training/sessions/{session}/certificates/absent"))
                .Then(HttpStatusCode.NotFound);
            var noSession = await When(() => api.Staff("camille").GetAsync($"/api/training/sessions/{Guid.NewGuid()}/certificates/camille"))
                .Then(HttpStatusCode.NotFound);
            var expected = await notMine.Problem();
            Assert.Equal(AttendanceCertificateNotFound, expected.Detail);
            Assert.Equal(expected, await notAttended.Problem());
            Assert.Equal(expected, await noSession.Problem());
            Assert.Equal(5.0, (await api.View(api.Staff("camille"), session)).MeanSatisfaction);
        }
        finally
        {
            factory.Clock.Advance(-TimeSpan.FromDays(10).Add(TimeSpan.FromHours(3)));
        }
    }

    [Fact]
    public async Task A_session_needs_trainers_from_both_networks()
    {
        var module = await Given(() => api.Module());

        var refused = await When(() => api.Coordinator().SendJson(HttpMethod.Post, "/api/training/sessions", new
        {
            moduleId = module, startsAt = factory.Clock.GetUtcNow().AddDays(5), endsAt = factory.Clock.GetUtcNow().AddDays(5).AddHours(2),
            place = "Lyon", departement = "69", capacity = 20, trainers = new[] { new { name = "Seule", network = "aniscg" } },
        })).Then(HttpStatusCode.BadRequest);

        Assert.Contains("chaque réseau", (await refused.Problem()).Errors!["trainers"][0]);
    }

    [Fact]
    public async Task A_cancelled_session_leaves_the_upcoming_list()
    {
        var (session, _) = await Given(() => api.Session(capacity: 5));
        var version = (await api.View(api.Coordinator(), session)).Version;

        await When(() => api.Coordinator().SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/cancellation",
            new { reason = "Formatrice indisponible" }, $"\"{version}\"")).Then(HttpStatusCode.NoContent);

        var upcoming = await When(() => api.Staff("x").GetAsync("/api/training/sessions?departement=93"))
            .Then<List<SessionView>>(HttpStatusCode.OK);
        Assert.DoesNotContain(upcoming, s => s.Id == session);
        var cancelled = await api.View(api.Staff("x"), session);
        Assert.Equal((SessionStatus.Cancelled, "Formatrice indisponible"), (cancelled.Status, cancelled.CancelledBecause));
        Assert.Empty(cancelled.AllowedActions);
    }

    [Fact]
    public async Task A_joint_intervention_needs_both_networks_and_the_callers_organisation()
    {
        object Body(params Guid[] organisations) => new
        {
            date = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-3)), departement = "93", kind = "presentationToPolice",
            organisationIds = organisations, audience = "Policiers du commissariat de Bobigny", attendanceCount = 25,
            description = "Présentation conjointe du dispositif ISCG et de l'aide aux victimes.",
        };

        var joint = await When(() => api.Staff("aav").SendJson(HttpMethod.Post, "/api/training/interventions",
            Body(TrainingFactory.IscgPost, TrainingFactory.Association))).Then<JointInterventionDetails>(HttpStatusCode.Created);
        var oneSided = await When(() => api.Staff("aav").SendJson(HttpMethod.Post, "/api/training/interventions",
            Body(TrainingFactory.Association, TrainingFactory.Partner))).Then(HttpStatusCode.BadRequest);
        var withoutMe = await When(() => api.Staff("iscg", Roles.IscgWorker, TrainingFactory.OtherIscgPost).SendJson(HttpMethod.Post,
            "/api/training/interventions", Body(TrainingFactory.IscgPost, TrainingFactory.Association))).Then(HttpStatusCode.Forbidden);
        await When(() => api.Coordinator().SendJson(HttpMethod.Post, "/api/training/interventions",
            Body(TrainingFactory.IscgPost, TrainingFactory.Association))).Then(HttpStatusCode.Created);

        Assert.Equal([TrainingFactory.IscgPost, TrainingFactory.Association], joint.OrganisationIds);
        Assert.Contains("poste d'ISCG", (await oneSided.Problem()).Errors!["organisationIds"][0]);
        Assert.Contains("votre organisation", (await withoutMe.Problem()).Detail);
        var listed = await When(() => api.Staff("x").GetAsync("/api/training/interventions?departement=93"))
            .Then<List<JointInterventionDetails>>(HttpStatusCode.OK);
        Assert.Contains(listed, i => i.Id == joint.Id && i.AttendanceCount == 25 && i.Kind == InterventionKind.PresentationToPolice);
    }

    [Fact]
    public async Task A_revised_module_keeps_its_history_and_scheduled_sessions_keep_their_version()
    {
        var (session, _) = await Given(() => api.Session(capacity: 5));
        var moduleId = (await api.View(api.Coordinator(), session)).ModuleId;
        var module = await api.Module(moduleId);

        await When(() => api.Coordinator().SendJson(HttpMethod.Put, $"/api/training/modules/{moduleId}", new
        {
            title = "Accueil des victimes (version révisée)", objectives = "Nouveaux objectifs", audience = "both", durationMinutes = 240, format = "hybrid",
        }, $"\"{module.StreamVersion}\"")).Then(HttpStatusCode.NoContent);

        var revised = await api.Module(moduleId);
        Assert.Equal(2, revised.Version);
        Assert.Equal([1, 2], revised.Versions.Select(v => v.Version));
        Assert.Equal("Accueil des victimes (version révisée)", revised.Content.Title);
        Assert.Equal(1, (await api.View(api.Coordinator(), session)).ModuleVersion);
    }
}
