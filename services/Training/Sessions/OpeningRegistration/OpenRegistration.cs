namespace Coordination.Training.Sessions.OpeningRegistration;

public sealed record OpenRegistration(CurrentUser By, DateTimeOffset At);

public static class OpenRegistrationEndpoint
{
    public static IReadOnlyList<object> Decide(OpenRegistration command, TrainingSession state)
    {
        SessionRules.EnsureCoordinator(command.By);
        return state.Status == SessionStatus.Scheduled
            ? [new RegistrationOpened(state.Id, command.By.UserId, command.At)]
            : throw new BusinessRuleViolation("Les inscriptions ne peuvent être ouvertes que pour une session programmée.");
    }

    public static RouteGroupBuilder MapOpenRegistration(this RouteGroupBuilder group)
    {
        group.MapPost("/sessions/{id:guid}/registration-opening", (Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
                TimeProvider time, CancellationToken ct) =>
                SessionCommand.Execute(id, expected, http, session, (state, user) => Decide(new OpenRegistration(user, time.GetUtcNow()), state), ct))
            .RequireAuthorization(Policies.Coordinators)
            .WithName("OpenTrainingRegistration").WithSummary("Open registration (If-Match).");
        return group;
    }
}
