namespace Coordination.Training.Sessions.Evaluating;

public sealed record EvaluationRequest(int? Rating, string? Comment);

public sealed record EvaluateSession(int Rating, string? Comment, CurrentUser By, DateTimeOffset At);

public static class EvaluateSessionEndpoint
{
    public static IReadOnlyList<object> Decide(EvaluateSession command, TrainingSession state)
    {
        if (state.Status is not (SessionStatus.Held or SessionStatus.Closed))
            throw new BusinessRuleViolation("L'évaluation s'ouvre une fois la présence saisie.");
        if (!state.Present.Contains(command.By.UserId))
            throw new BusinessRuleViolation("Seules les personnes présentes évaluent la session.");
        if (state.Evaluated.Contains(command.By.UserId))
            throw new BusinessRuleViolation("Vous avez déjà évalué cette session.");
        return [new EvaluationSubmitted(state.Id, command.By.UserId, command.Rating, command.Comment, command.At)];
    }

    public static RouteGroupBuilder MapEvaluateSession(this RouteGroupBuilder group)
    {
        group.MapPost("/sessions/{id:guid}/evaluations", async Task<Results<NoContent, ValidationProblem>> (Guid id, EvaluationRequest request,
                HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var validation = new TrainingValidation();
                if (request.Rating is not (>= 1 and <= 5)) validation.Add("rating", "La satisfaction se note de 1 à 5.");
                var comment = validation.Text(request.Comment, "comment", 2000, required: false);
                if (!validation.IsValid) return Problems.Invalid(validation.Errors);
                return await SessionCommand.Retrying(id, http, session,
                    (state, user) => Decide(new EvaluateSession(request.Rating!.Value, comment, user, time.GetUtcNow()), state), ct);
            })
            .WithName("EvaluateTrainingSession").WithSummary("An attendee rates the session (1–5) once, with an optional comment.");
        return group;
    }
}
