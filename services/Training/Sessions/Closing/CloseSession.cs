namespace Coordination.Training.Sessions.Closing;

public sealed record CloseSession(CurrentUser By, DateTimeOffset At);

public static class CloseSessionEndpoint
{
    public static IReadOnlyList<object> Decide(CloseSession command, TrainingSession state)
    {
        SessionRules.EnsureCoordinator(command.By);
        return state.Status == SessionStatus.Held
            ? [new SessionClosed(state.Id, command.By.UserId, command.At)]
            : throw new BusinessRuleViolation("Seule une session qui a eu lieu (présence saisie) peut être close.");
    }

    public static RouteGroupBuilder MapCloseSession(this RouteGroupBuilder group)
    {
        group.MapPost("/sessions/{id:guid}/closing", (Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
                TimeProvider time, CancellationToken ct) =>
                SessionCommand.Execute(id, expected, http, session, (state, user) => Decide(new CloseSession(user, time.GetUtcNow()), state), ct))
            .RequireAuthorization(Policies.Coordinators)
            .WithName("CloseTrainingSession").WithSummary("Close a session that took place (If-Match).");
        return group;
    }
}
