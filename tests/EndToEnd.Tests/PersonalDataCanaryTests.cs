using Microsoft.Extensions.Logging;

namespace Coordination.EndToEnd.Tests;

/// <summary>The platform with every host logging down to Debug into one recorder: a leak at any level is a leak.</summary>
public sealed class CanaryPlatform : PlatformFixture
{
    public LogRecorder Recorder { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettingsForEveryHost() =>
        new[] { "Default", "Microsoft", "Microsoft.AspNetCore", "Marten", "MassTransit", "Npgsql", "OpenIddict", "Yarp" }
            .Select(category => new KeyValuePair<string, string?>($"Logging:LogLevel:{category}", "Debug"));

    protected override Action<IServiceCollection> TestServicesForEveryHost =>
        services => services.AddSingleton<ILoggerProvider>(Recorder);
}

/// <summary>
/// Issue 23's canary for the services the other canaries do not run (Referrals.Api.Tests, Operations.Tests' TracesTests,
/// Notifications' e-mails, the Portal's logs): personal data given to Identity (an invited person's name and e-mail),
/// Training (a participant's name) and Projects (a support request's message), accepted and refused, through the
/// gateway, appear in no log line (any level, any host: gateway, Identity, Directory, Dashboard, Referrals, Training,
/// Projects) and no span tag, event or baggage of any of them.
/// </summary>
public class PersonalDataCanaryTests(CanaryPlatform platform) : IClassFixture<CanaryPlatform>
{
    private const string InvitedName = "Zéphyrine-Canari-Compte";
    private const string InvitedEmail = "zephyrine.canari.compte@aav11.test";
    private const string ParticipantName = "Aurélien-Canari-Formation";
    private const string SupportMessage = "canari-message-projet-vert-pomme";

    [Fact]
    public async Task Personal_data_given_to_Identity_Training_and_Projects_appears_in_no_log_or_span_of_any_host()
    {
        using var spans = new SpanRecorder();

        await GiveIdentityAnInvitedPerson();
        await GiveTrainingAParticipant();
        await GiveProjectsASupportRequest();
        await Task.Delay(TimeSpan.FromSeconds(2)); // the outboxes' publishes and their consumers (spans and logs count too)

        var everything = platform.Recorder.Lines.Concat(spans.Lines).ToList();
        Assert.True(spans.Lines.Count > 100 && platform.Recorder.Lines.Count > 100,
            $"the recorders saw almost nothing ({spans.Lines.Count} span lines, {platform.Recorder.Lines.Count} log lines): the test would prove nothing");
        Assert.Contains(everything, line => line.Contains("/api/identity/accounts", StringComparison.Ordinal));
        Assert.Contains(everything, line => line.Contains("/api/training/sessions", StringComparison.Ordinal));
        Assert.Contains(everything, line => line.Contains("/support-requests", StringComparison.Ordinal));
        var leaks = SpanRecorder.Leaks(everything, InvitedName, InvitedEmail, ParticipantName, SupportMessage, "Zéphyrine", "Aurélien", "zephyrine.canari");
        Assert.True(leaks.Count == 0, $"personal data leaked into telemetry:\n{string.Join("\n", leaks)}");
    }

    private HttpClient As(string role, Guid? organisation = null, string? userId = null) =>
        platform.GatewayClient().As(TestTokens.For(role, organisation, userId, issuer: platform.Issuer));

    private async Task GiveIdentityAnInvitedPerson()
    {
        var coordinator = platform.GatewayClient().As(await platform.CoordinatorAccessToken());
        var registered = await (await coordinator.SendJson(HttpMethod.Post, "/api/directory/organisations", new
        {
            name = "Association canari de l'Aude", kind = "victimSupportAssociation",
            departements = new[] { "11" }, needs = new[] { "famille--surmonter-conflits-separation-violence" },
        })).HasStatus(HttpStatusCode.Created);
        var organisation = await registered.CreatedId();
        // Refused first (a malformed e-mail that still names the person), then accepted once Identity knows the organisation.
        await coordinator.SendJson(HttpMethod.Post, "/api/identity/accounts", new
        {
            email = $"{InvitedName}@", name = InvitedName, role = Roles.AssociationStaff, organisationId = organisation,
        });
        await HttpClientExtensions.Eventually(() => coordinator.SendJson(HttpMethod.Post, "/api/identity/accounts", new
        {
            email = InvitedEmail, name = InvitedName, role = Roles.AssociationStaff, organisationId = organisation, organisationManager = true,
        }), r => r.StatusCode == HttpStatusCode.Created, TimeSpan.FromSeconds(30), "the canary person invited");
    }

    private async Task GiveTrainingAParticipant()
    {
        var coordinator = As(Roles.NationalCoordinator);
        var module = await (await coordinator.SendJson(HttpMethod.Post, "/api/training/modules", new
        {
            title = "Accueil commun : module canari", objectives = "Grille commune ISCG / AAV.", audience = "both",
            durationMinutes = 120, format = "inPerson", coDesignedBy = Array.Empty<Guid>(),
        })).HasStatus(HttpStatusCode.Created);
        var startsAt = DateTimeOffset.UtcNow.AddDays(20);
        var scheduled = await (await coordinator.SendJson(HttpMethod.Post, "/api/training/sessions", new
        {
            moduleId = await module.CreatedId(), startsAt, endsAt = startsAt.AddHours(2),
            place = "Maison de la justice et du droit, Carcassonne", departement = "11", capacity = 5,
            trainers = new object[] { new { name = "Formatrice A.", network = "aniscg" }, new { name = "Formateur B.", network = "franceVictimes" } },
        })).HasStatus(HttpStatusCode.Created);
        var session = await scheduled.CreatedId();
        var participant = new { userId = "canari-participant", name = ParticipantName, organisationId = Guid.NewGuid(), network = "franceVictimes" };
        await coordinator.SendJson(HttpMethod.Post, $"/api/training/sessions/{Guid.NewGuid()}/registrations/on-behalf", participant); // 404
        var registered = await coordinator.SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/registrations/on-behalf", participant);
        Assert.True(registered.IsSuccessStatusCode, $"on-behalf registration refused: {(int)registered.StatusCode} {await registered.Content.ReadAsStringAsync()}");
    }

    private async Task GiveProjectsASupportRequest()
    {
        var lead = Guid.NewGuid();
        var staff = As(Roles.AssociationStaff, lead, "aav-canari");
        var created = await (await staff.SendJson(HttpMethod.Post, "/api/projects", new
        {
            title = "Poste ISCG dans l'Aude (canari)", type = "newIscgPost", departements = new[] { "11" }, leadOrganisationId = lead,
            description = "Création d'un poste au commissariat de Carcassonne.", budget = 30000m,
        })).HasStatus(HttpStatusCode.Created);
        var id = (await created.ReadJson<ProjectCreated>()).Project.Id;
        await staff.SendJson(HttpMethod.Post, $"/api/projects/{id}/support-requests", new { kind = "nonsense", message = SupportMessage }); // 400
        var asked = await staff.SendJson(HttpMethod.Post, $"/api/projects/{id}/support-requests", new { kind = "modelDocument", message = SupportMessage });
        Assert.True(asked.IsSuccessStatusCode, $"support request refused: {(int)asked.StatusCode} {await asked.Content.ReadAsStringAsync()}");
    }
}
