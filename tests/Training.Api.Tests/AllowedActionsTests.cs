using System.Net;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Xunit;
using static Coordination.Testing.Specification;

namespace Coordination.Training.Api.Tests;

/// <summary>A session offers each caller exactly the actions the API then accepts from them.</summary>
public class AllowedActionsTests(TrainingFactory factory) : IClassFixture<TrainingFactory>
{
    private readonly TrainingClients api = new(factory);

    [Fact]
    public async Task Each_caller_is_offered_what_their_role_and_the_sessions_state_allow()
    {
        var (session, _) = await Given(() => api.Session(capacity: 1, trainerUserId: "trainer-ana"));
        var trainer = factory.CreateClient().As(TestTokens.For(Roles.IscgWorker, TrainingFactory.IscgPost, "trainer-ana"));

        Assert.Equal(["register"], (await api.View(api.Staff("lea"), session)).AllowedActions);
        Assert.Equal(["cancelSession", "rescheduleSession"], (await api.View(api.Coordinator(), session)).AllowedActions);
        Assert.Equal(["register"], (await api.View(trainer, session)).AllowedActions);

        await api.Register("lea", session);

        Assert.Equal(["cancelRegistration"], (await api.View(api.Staff("lea"), session)).AllowedActions);
        // The only place is taken: the next one may still join the waiting list.
        Assert.Equal(["register"], (await api.View(api.Staff("marc"), session)).AllowedActions);
        // Not offered, and indeed refused: recording attendance before the session starts.
        Assert.DoesNotContain("recordAttendance", (await api.View(trainer, session)).AllowedActions);
        var version = (await api.View(trainer, session)).Version;
        await When(() => trainer.SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/attendance", new { present = new[] { "lea" } },
            $"\"{version}\"")).Then(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Once_the_session_started_trainers_record_attendance_and_attendees_evaluate()
    {
        var (session, _) = await Given(() => api.Session(capacity: 5, trainerUserId: "trainer-ines"));
        await Given(() => api.Register("noe", session));
        var trainer = factory.CreateClient().As(TestTokens.For(Roles.IscgWorker, TrainingFactory.IscgPost, "trainer-ines"));
        factory.Clock.Advance(TimeSpan.FromDays(10).Add(TimeSpan.FromHours(1)));
        try
        {
            var before = await api.View(trainer, session);
            Assert.Equal(["recordAttendance"], before.AllowedActions);
            Assert.Empty((await api.View(api.Staff("noe"), session)).AllowedActions);

            await When(() => trainer.SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/attendance", new { present = new[] { "noe" } },
                $"\"{before.Version}\"")).Then(HttpStatusCode.NoContent);

            Assert.Equal(["evaluateSession"], (await api.View(api.Staff("noe"), session)).AllowedActions);
            Assert.Equal(["recordAttendance", "closeSession"], (await api.View(api.Coordinator(), session)).AllowedActions);
            await When(() => api.Staff("noe").SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/evaluations", new { rating = 4 }))
                .Then(HttpStatusCode.NoContent);
            Assert.Empty((await api.View(api.Staff("noe"), session)).AllowedActions);
        }
        finally
        {
            factory.Clock.Advance(-TimeSpan.FromDays(10).Add(TimeSpan.FromHours(1)));
        }
    }

    [Fact]
    public async Task Lists_carry_the_same_actions_as_the_session_itself()
    {
        var (session, _) = await Given(() => api.Session(capacity: 3));
        await Given(() => api.Register("zoe", session));

        var mine = await When(() => api.Staff("zoe").GetAsync("/api/training/registrations/mine"))
            .Then<List<Coordination.Training.Sessions.GettingDetails.SessionView>>(HttpStatusCode.OK);

        Assert.Equal((await api.View(api.Staff("zoe"), session)).AllowedActions, mine.Single(s => s.Id == session).AllowedActions);
    }
}
