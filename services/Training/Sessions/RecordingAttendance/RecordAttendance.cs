namespace Coordination.Training.Sessions.RecordingAttendance;

public sealed record AttendanceRequest(IReadOnlyList<string>? Present);

public sealed record RecordAttendance(IReadOnlyList<string> Present, CurrentUser By, DateTimeOffset At);

public static class RecordAttendanceEndpoint
{
    public static IReadOnlyList<object> Decide(RecordAttendance command, TrainingSession state)
    {
        SessionRules.EnsureTrainerOrCoordinator(state, command.By);
        if (state.Status is SessionStatus.Cancelled or SessionStatus.Closed)
            throw new BusinessRuleViolation("La session est annulée ou close : la présence ne peut plus être saisie.");
        if (command.At < state.StartsAt)
            throw new BusinessRuleViolation("La présence se saisit une fois la session commencée.");
        if (command.Present.Any(userId => state.Registered.All(p => p.UserId != userId)))
            throw new BusinessRuleViolation("Seules les personnes inscrites peuvent être déclarées présentes.");
        return [new AttendanceRecorded(state.Id, [.. command.Present.Distinct()], command.By.UserId, command.At)];
    }

    public static RouteGroupBuilder MapRecordAttendance(this RouteGroupBuilder group)
    {
        group.MapPost("/sessions/{id:guid}/attendance", async Task<Results<NoContent, ValidationProblem>> (Guid id, AttendanceRequest request,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                if (request.Present is null)
                    return Problems.Invalid(new Dictionary<string, string[]> { ["present"] = ["Listez les personnes présentes (identifiants)."] });
                return await SessionCommand.Execute(id, expected, http, session,
                    (state, user) => Decide(new RecordAttendance(request.Present, user, time.GetUtcNow()), state), ct);
            })
            .WithName("RecordTrainingAttendance").WithSummary("Trainers or coordinators record who came (If-Match).");
        return group;
    }
}
