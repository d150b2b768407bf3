using System.Net;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Xunit;

namespace Coordination.Training.Api.Tests;

public class TrainingApiTests(TrainingFactory factory) : IClassFixture<TrainingFactory>
{
    private HttpClient Coordinator() => factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator, userId: "coord-fv"));

    private HttpClient Staff(string userId, string role = Roles.AssociationStaff) =>
        factory.CreateClient().As(TestTokens.For(role, role == Roles.IscgWorker ? TrainingFactory.IscgPost : TrainingFactory.Association, userId));

    private async Task<Guid> Module(string format = "inPerson")
    {
        var response = await (await Coordinator().SendJson(HttpMethod.Post, "/api/training/modules", new
        {
            title = $"Accueil des victimes de violences conjugales {Guid.NewGuid():N}"[..60], objectives = "Partager les pratiques des deux réseaux.",
            audience = "both", durationMinutes = 180, format, coDesignedBy = new[] { TrainingFactory.IscgPost, TrainingFactory.Association },
        })).HasStatus(HttpStatusCode.Created);
        return (await response.ReadJsonElement()).GetProperty("id").GetGuid();
    }

    private async Task<(Guid Id, DateTimeOffset StartsAt)> Session(int capacity, string? trainerUserId = null)
    {
        // As a French client sends it: Paris time with its offset.
        var startsAt = factory.Clock.GetUtcNow().AddDays(10).ToOffset(TimeSpan.FromHours(1));
        var response = await (await Coordinator().SendJson(HttpMethod.Post, "/api/training/sessions", new
        {
            moduleId = await Module(), startsAt, endsAt = startsAt.AddHours(3), place = "Tribunal de Bobigny, salle 2", departement = "93", capacity,
            trainers = new object[]
            {
                new { name = "Sonia T.", network = "aniscg", userId = trainerUserId }, new { name = "Julien P.", network = "franceVictimes" },
            },
        })).HasStatus(HttpStatusCode.Created);
        return ((await response.ReadJsonElement()).GetProperty("id").GetGuid(), startsAt);
    }

    private static async Task<System.Text.Json.JsonElement> View(HttpClient client, Guid session) =>
        await (await (await client.GetAsync($"/api/training/sessions/{session}")).HasStatus(HttpStatusCode.OK)).ReadJsonElement();

    [Fact]
    public async Task Two_people_racing_for_the_last_place_one_gets_it_the_other_is_waitlisted()
    {
        var (session, _) = await Session(capacity: 1);
        var first = Staff("racer-1").PostAsync($"/api/training/sessions/{session}/registrations", null);
        var second = Staff("racer-2", Roles.IscgWorker).PostAsync($"/api/training/sessions/{session}/registrations", null);

        var responses = await Task.WhenAll(first, second);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        var roster = await (await Coordinator().GetAsync($"/api/training/sessions/{session}/roster")).ReadJsonElement();
        Assert.Equal(1, roster.GetProperty("registered").GetArrayLength());
        Assert.Equal(1, roster.GetProperty("waitlist").GetArrayLength());
        Assert.Equal("full", roster.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_full_session_puts_you_on_the_waiting_list_and_a_cancellation_gives_you_the_place()
    {
        var (session, _) = await Session(capacity: 1);
        await (await Staff("first").PostAsync($"/api/training/sessions/{session}/registrations", null)).HasStatus(HttpStatusCode.NoContent);
        await (await Staff("second").PostAsync($"/api/training/sessions/{session}/registrations", null)).HasStatus(HttpStatusCode.NoContent);
        var again = await Staff("second").PostAsync($"/api/training/sessions/{session}/registrations", null);

        var waiting = await View(Staff("second"), session);
        Assert.Equal("waitlisted", waiting.GetProperty("me").GetString());
        Assert.Equal(1, waiting.GetProperty("myWaitlistPosition").GetInt32());
        await again.HasStatus(HttpStatusCode.Conflict);

        await (await Staff("first").DeleteAsync($"/api/training/sessions/{session}/registrations/mine")).HasStatus(HttpStatusCode.NoContent);

        var promoted = await View(Staff("second"), session);
        Assert.Equal("registered", promoted.GetProperty("me").GetString());
        Assert.Equal(0, promoted.GetProperty("waitlisted").GetInt32());
        var mine = await (await Staff("second").GetAsync("/api/training/registrations/mine")).ReadJsonElement();
        Assert.Contains(mine.EnumerateArray(), s => s.GetProperty("id").GetGuid() == session);
    }

    [Fact]
    public async Task Registration_closes_before_the_session()
    {
        var (session, startsAt) = await Session(capacity: 10);
        factory.Clock.Advance(TimeSpan.FromDays(9)); // one day before: closed (two days before by default)
        try
        {
            var late = await Staff("late").PostAsync($"/api/training/sessions/{session}/registrations", null);
            await late.HasStatus(HttpStatusCode.Conflict);
            Assert.Contains("closes", (await late.ReadJsonElement()).GetProperty("detail").GetString());
        }
        finally
        {
            factory.Clock.Advance(TimeSpan.FromDays(-9));
        }
    }

    [Fact]
    public async Task Attendance_then_evaluation_then_a_french_certificate()
    {
        var (session, _) = await Session(capacity: 10, trainerUserId: "trainer-sonia");
        await (await Staff("camille").PostAsync($"/api/training/sessions/{session}/registrations", null)).HasStatus(HttpStatusCode.NoContent);
        await (await Staff("absent").PostAsync($"/api/training/sessions/{session}/registrations", null)).HasStatus(HttpStatusCode.NoContent);
        factory.Clock.Advance(TimeSpan.FromDays(10).Add(TimeSpan.FromHours(3)));
        try
        {
            var trainer = factory.CreateClient().As(TestTokens.For(Roles.IscgWorker, TrainingFactory.IscgPost, "trainer-sonia"));
            var etag = (await trainer.GetAsync($"/api/training/sessions/{session}")).Headers.ETag!.Tag;
            await (await trainer.SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/attendance", new { present = new[] { "camille" } }, etag))
                .HasStatus(HttpStatusCode.NoContent);

            await (await Staff("camille").SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/evaluations", new { rating = 5, comment = "Très concret." }))
                .HasStatus(HttpStatusCode.NoContent);
            await (await Staff("absent").SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/evaluations", new { rating = 1 }))
                .HasStatus(HttpStatusCode.Conflict);
            await (await Staff("camille").SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/evaluations", new { rating = 9 }))
                .HasStatus(HttpStatusCode.BadRequest);

            var certificate = await (await Staff("camille").GetAsync($"/api/training/sessions/{session}/certificates/camille")).HasStatus(HttpStatusCode.OK);
            var html = await certificate.Content.ReadAsStringAsync();
            Assert.Equal("text/html", certificate.Content.Headers.ContentType!.MediaType);
            Assert.Contains("Attestation de présence", html);
            Assert.Contains("Accueil des victimes de violences conjugales", html);
            Assert.Contains("3 heures", html);
            Assert.Equal(HttpStatusCode.Forbidden, (await Staff("absent").GetAsync($"/api/training/sessions/{session}/certificates/camille")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await Staff("absent").GetAsync($"/api/training/sessions/{session}/certificates/absent")).StatusCode);
            Assert.Equal(5.0, (await View(Staff("camille"), session)).GetProperty("meanSatisfaction").GetDouble());
        }
        finally
        {
            factory.Clock.Advance(-TimeSpan.FromDays(10).Add(TimeSpan.FromHours(3)));
        }
    }

    [Fact]
    public async Task A_session_needs_trainers_from_both_networks()
    {
        var response = await Coordinator().SendJson(HttpMethod.Post, "/api/training/sessions", new
        {
            moduleId = await Module(), startsAt = factory.Clock.GetUtcNow().AddDays(5), endsAt = factory.Clock.GetUtcNow().AddDays(5).AddHours(2),
            place = "Lyon", departement = "69", capacity = 20, trainers = new[] { new { name = "Seule", network = "aniscg" } },
        });

        await response.HasStatus(HttpStatusCode.BadRequest);
        Assert.Contains("chaque réseau", (await response.ReadJsonElement()).GetProperty("errors").GetProperty("trainers")[0].GetString());
    }

    [Fact]
    public async Task A_cancelled_session_leaves_the_upcoming_list()
    {
        var (session, _) = await Session(capacity: 5);
        var etag = (await Coordinator().GetAsync($"/api/training/sessions/{session}")).Headers.ETag!.Tag;

        await (await Coordinator().SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/cancellation", new { reason = "Formatrice indisponible" }, etag))
            .HasStatus(HttpStatusCode.NoContent);

        var upcoming = await (await Staff("x").GetAsync("/api/training/sessions?departement=93")).ReadJsonElement();
        Assert.DoesNotContain(upcoming.EnumerateArray(), s => s.GetProperty("id").GetGuid() == session);
        Assert.Equal("cancelled", (await View(Staff("x"), session)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_joint_intervention_needs_both_networks()
    {
        object Body(params Guid[] organisations) => new
        {
            date = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-3)), departement = "93", kind = "presentationToPolice",
            organisationIds = organisations, audience = "Policiers du commissariat de Bobigny", attendanceCount = 25,
            description = "Présentation conjointe du dispositif ISCG et de l'aide aux victimes.",
        };

        var joint = await Staff("aav").SendJson(HttpMethod.Post, "/api/training/interventions", Body(TrainingFactory.IscgPost, TrainingFactory.Association));
        var oneSided = await Staff("aav").SendJson(HttpMethod.Post, "/api/training/interventions", Body(TrainingFactory.Association, TrainingFactory.Partner));

        await joint.HasStatus(HttpStatusCode.Created);
        await oneSided.HasStatus(HttpStatusCode.BadRequest);
        var listed = await (await Staff("x").GetAsync("/api/training/interventions?departement=93")).ReadJsonElement();
        Assert.Contains(listed.EnumerateArray(), i => i.GetProperty("attendanceCount").GetInt32() == 25);
    }

    [Fact]
    public async Task A_revised_module_keeps_its_history_and_scheduled_sessions_keep_their_version()
    {
        var (session, _) = await Session(capacity: 5);
        var moduleId = (await View(Coordinator(), session)).GetProperty("moduleId").GetGuid();
        var etag = (await Coordinator().GetAsync($"/api/training/modules/{moduleId}")).Headers.ETag!.Tag;

        await (await Coordinator().SendJson(HttpMethod.Put, $"/api/training/modules/{moduleId}", new
        {
            title = "Accueil des victimes (version révisée)", objectives = "Nouveaux objectifs", audience = "both", durationMinutes = 240, format = "hybrid",
        }, etag)).HasStatus(HttpStatusCode.NoContent);

        var module = await (await Coordinator().GetAsync($"/api/training/modules/{moduleId}")).ReadJsonElement();
        Assert.Equal(2, module.GetProperty("version").GetInt32());
        Assert.Equal(2, module.GetProperty("versions").GetArrayLength());
        Assert.Equal(1, (await View(Coordinator(), session)).GetProperty("moduleVersion").GetInt32());
    }
}
