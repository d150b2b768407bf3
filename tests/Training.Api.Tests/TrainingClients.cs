using System.Net;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Coordination.Training.Modules;
using Coordination.Training.Sessions.GettingDetails;
using static Coordination.Testing.Specification;

namespace Coordination.Training.Api.Tests;

/// <summary>The callers of the tests and the steps they take to set a scene (each asserting that it worked).</summary>
public sealed class TrainingClients(TrainingFactory factory)
{
    public HttpClient Coordinator() => factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator, userId: "coord-fv"));

    public HttpClient Staff(string userId, string role = Roles.AssociationStaff, Guid? organisation = null) =>
        factory.CreateClient().As(TestTokens.For(role,
            organisation ?? (role == Roles.IscgWorker ? TrainingFactory.IscgPost : TrainingFactory.Association), userId));

    public async Task<Guid> Module() =>
        (await When(() => Coordinator().SendJson(HttpMethod.Post, "/api/training/modules", new
        {
            title = $"Accueil des victimes de violences conjugales {Guid.NewGuid():N}"[..60], objectives = "Partager les pratiques des deux réseaux.",
            audience = "both", durationMinutes = 180, format = "inPerson", coDesignedBy = new[] { TrainingFactory.IscgPost, TrainingFactory.Association },
        })).Then<ModuleDetails>(HttpStatusCode.Created)).Id;

    public Task<ModuleDetails> Module(Guid id) => When(() => Coordinator().GetAsync($"/api/training/modules/{id}")).Then<ModuleDetails>(HttpStatusCode.OK);

    /// <summary>A session ten days from now, registration open, with one trainer of each network.</summary>
    public async Task<(Guid Id, DateTimeOffset StartsAt)> Session(int capacity, string? trainerUserId = null)
    {
        // As a French client sends it: Paris time with its offset.
        var startsAt = factory.Clock.GetUtcNow().AddDays(10).ToOffset(TimeSpan.FromHours(1));
        var moduleId = await Module();
        var created = await When(() => Coordinator().SendJson(HttpMethod.Post, "/api/training/sessions", new
        {
            moduleId, startsAt, endsAt = startsAt.AddHours(3), place = "Tribunal de Bobigny, salle 2", departement = "93", capacity,
            trainers = new object[]
            {
                new { name = "Sonia T.", network = "aniscg", userId = trainerUserId }, new { name = "Julien P.", network = "franceVictimes" },
            },
        })).Then<SessionView>(HttpStatusCode.Created);
        return (created.Id, startsAt);
    }

    public Task Register(string userId, Guid session) =>
        When(() => Staff(userId).PostAsync($"/api/training/sessions/{session}/registrations", null)).Then(HttpStatusCode.NoContent);

    public Task<SessionView> View(HttpClient client, Guid session) =>
        When(() => client.GetAsync($"/api/training/sessions/{session}")).Then<SessionView>(HttpStatusCode.OK);

    public Task<SessionDetails> Roster(Guid session) =>
        When(() => Coordinator().GetAsync($"/api/training/sessions/{session}/roster")).Then<SessionDetails>(HttpStatusCode.OK);
}
