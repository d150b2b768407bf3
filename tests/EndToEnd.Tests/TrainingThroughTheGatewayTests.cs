namespace Coordination.EndToEnd.Tests;

/// <summary>A coordinator publishes a module and schedules a session, professionals register, all through the gateway; the Dashboard receives it.</summary>
public class TrainingThroughTheGatewayTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private HttpClient As(string role, Guid? organisation = null, string? userId = null) =>
        platform.GatewayClient().As(TestTokens.For(role, organisation, userId, issuer: platform.Issuer));

    [Fact]
    public async Task A_session_with_registrations_and_a_waiting_list_reaches_the_dashboard()
    {
        var coordinator = As(Roles.NationalCoordinator);
        var module = await (await coordinator.SendJson(HttpMethod.Post, "/api/training/modules", new
        {
            title = "Évaluer le danger : outils partagés", objectives = "Grille commune ISCG / AAV.", audience = "both",
            durationMinutes = 210, format = "inPerson", coDesignedBy = Array.Empty<Guid>(),
        })).HasStatus(HttpStatusCode.Created);
        var startsAt = DateTimeOffset.UtcNow.AddDays(15);
        var scheduled = await (await coordinator.SendJson(HttpMethod.Post, "/api/training/sessions", new
        {
            moduleId = await module.CreatedId(), startsAt, endsAt = startsAt.AddHours(3.5),
            place = "Maison de la justice et du droit, Lyon 8e", departement = "69", capacity = 1,
            trainers = new object[] { new { name = "Mathilde G.", network = "aniscg" }, new { name = "Thomas R.", network = "franceVictimes" } },
        })).HasStatus(HttpStatusCode.Created);
        var session = await scheduled.CreatedId();

        await (await As(Roles.IscgWorker, Guid.NewGuid(), "iscg-lyon").PostAsync($"/api/training/sessions/{session}/registrations", null)).HasStatus(HttpStatusCode.NoContent);
        await (await As(Roles.AssociationStaff, Guid.NewGuid(), "aav-lyon").PostAsync($"/api/training/sessions/{session}/registrations", null)).HasStatus(HttpStatusCode.NoContent);

        var store = platform.Dashboard.Services.GetRequiredService<IDocumentStore>();
        var received = await HttpClientExtensions.Eventually(async () =>
        {
            await using var query = store.QuerySession();
            return (await query.Events.FetchStreamAsync(session)).Select(e => e.Data).ToList();
            // Delivery is at least once and not ordered across messages: wait for all three, in whatever order.
        }, events => events.OfType<Coordination.Contracts.Training.TrainingRegistrationsChanged>().Count() >= 2
                     && events.OfType<Coordination.Contracts.Training.TrainingSessionScheduled>().Any(), TimeSpan.FromSeconds(30), "training events at the Dashboard");

        Assert.Single(received.OfType<Coordination.Contracts.Training.TrainingSessionScheduled>());
        Assert.Contains(received.OfType<Coordination.Contracts.Training.TrainingRegistrationsChanged>(), c => c is { Registered: 1, Waitlisted: 1, Capacity: 1 });
    }
}
