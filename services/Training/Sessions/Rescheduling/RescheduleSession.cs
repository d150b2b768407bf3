using Microsoft.Extensions.Options;

namespace Coordination.Training.Sessions.Rescheduling;

public sealed record RescheduleSessionRequest(DateTimeOffset? StartsAt, DateTimeOffset? EndsAt);

/// <summary>New dates, in UTC; registration closes <paramref name="RegistrationClosesBefore"/> before the new start.</summary>
public sealed record RescheduleSession(
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, TimeSpan RegistrationClosesBefore, CurrentUser By, DateTimeOffset At);

public static class RescheduleSessionEndpoint
{
    public static IReadOnlyList<object> Decide(RescheduleSession command, TrainingSession state)
    {
        SessionRules.EnsureCoordinator(command.By);
        if (state.Status is not (SessionStatus.Scheduled or SessionStatus.RegistrationOpen))
            throw new BusinessRuleViolation("Une session qui a eu lieu, close ou annulée ne peut pas être déplacée.");
        if (command.StartsAt == state.StartsAt)
            throw new BusinessRuleViolation($"La session commence déjà le {SessionRules.Paris(state.StartsAt)} : indiquez une autre date.");
        var closes = command.StartsAt - command.RegistrationClosesBefore;
        return [new SessionRescheduled(state.Id, command.StartsAt, command.EndsAt, state.StartsAt,
            closes < command.At ? command.At : closes, command.By.UserId, command.At)];
    }

    public static RouteGroupBuilder MapRescheduleSession(this RouteGroupBuilder group)
    {
        group.MapPost("/sessions/{id:guid}/rescheduling", async Task<Results<NoContent, ValidationProblem>> (
                Guid id, RescheduleSessionRequest request, ExpectedVersion expected, HttpContext http, IDocumentSession session,
                TimeProvider time, IOptions<TrainingOptions> options, CancellationToken ct) =>
            {
                var now = time.GetUtcNow();
                var validation = new TrainingValidation();
                if (request.StartsAt is not { } starts || starts <= now) validation.Add("startsAt", "Indiquez une date de début à venir.");
                if (request.EndsAt is not { } ends || request.StartsAt is null || ends <= request.StartsAt)
                    validation.Add("endsAt", "La fin doit suivre le début.");
                if (!validation.IsValid) return Problems.Invalid(validation.Errors);
                var command = new RescheduleSession(request.StartsAt!.Value.ToUniversalTime(), request.EndsAt!.Value.ToUniversalTime(),
                    options.Value.RegistrationClosesBefore, CurrentUser.From(http.User), now);
                return await SessionCommand.Execute(id, expected, http, session,
                    (state, user) => Decide(command with { By = user }, state), ct);
            })
            .RequireAuthorization(Policies.Coordinators)
            .WithName("RescheduleTrainingSession")
            .WithSummary("Move a session to new dates; its registrants are e-mailed at once (If-Match).");
        return group;
    }
}
