namespace Coordination.Training.Sessions.Cancelling;

public sealed record CancelSessionRequest(string? Reason);

public sealed record CancelSession(string Reason, CurrentUser By, DateTimeOffset At);

public static class CancelSessionEndpoint
{
    public static IReadOnlyList<object> Decide(CancelSession command, TrainingSession state)
    {
        SessionRules.EnsureCoordinator(command.By);
        return state.Status is SessionStatus.Scheduled or SessionStatus.RegistrationOpen
            ? [new SessionCancelled(state.Id, command.Reason, command.By.UserId, command.At)]
            : throw new BusinessRuleViolation("Une session qui a eu lieu, close ou déjà annulée ne peut pas être annulée.");
    }

    public static RouteGroupBuilder MapCancelSession(this RouteGroupBuilder group)
    {
        group.MapPost("/sessions/{id:guid}/cancellation", async Task<Results<NoContent, ValidationProblem>> (Guid id, CancelSessionRequest request,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var validation = new TrainingValidation();
                var reason = validation.Text(request.Reason, "reason", 1000, required: true);
                if (!validation.IsValid) return Problems.Invalid(validation.Errors);
                return await SessionCommand.Execute(id, expected, http, session,
                    (state, user) => Decide(new CancelSession(reason!, user, time.GetUtcNow()), state), ct);
            })
            .RequireAuthorization(Policies.Coordinators)
            .WithName("CancelTrainingSession").WithSummary("Cancel a session; registrants are told through its events (If-Match).");
        return group;
    }
}
