namespace Coordination.Training.Sessions.CancellingRegistration;

public sealed record CancelRegistration(string UserId, CurrentUser By, DateTimeOffset At);

public static class CancelRegistrationEndpoint
{
    /// <summary>Until the session starts; a freed place goes to the first on the waiting list, in the same decision.</summary>
    public static IReadOnlyList<object> Decide(CancelRegistration command, TrainingSession state)
    {
        if (command.UserId != command.By.UserId)
            SessionRules.EnsureCoordinator(command.By);
        if (state.Status is SessionStatus.Held or SessionStatus.Closed or SessionStatus.Cancelled || command.At >= state.StartsAt)
            throw new BusinessRuleViolation("La session a commencé ou n'a plus lieu : l'inscription ne peut plus être annulée.");
        if (!state.Knows(command.UserId))
            throw new BusinessRuleViolation("Cette personne n'est pas inscrite à cette session.");
        var wasRegistered = state.Registered.Any(p => p.UserId == command.UserId);
        List<object> events = [new RegistrationCancelled(state.Id, command.UserId, command.By.UserId, command.At)];
        if (wasRegistered && state.Waitlist.Count > 0)
            events.Add(new WaitlistedParticipantPromoted(state.Id, state.Waitlist[0].UserId, command.At));
        return events;
    }

    public static RouteGroupBuilder MapCancelRegistration(this RouteGroupBuilder group)
    {
        group.MapDelete("/sessions/{id:guid}/registrations/mine", (Guid id, HttpContext http, IDocumentSession session, TimeProvider time,
                CancellationToken ct) =>
                SessionCommand.Retrying(id, http, session, (state, user) =>
                    Decide(new CancelRegistration(user.UserId, user, time.GetUtcNow()), state), ct))
            .WithName("CancelMyTrainingRegistration").WithSummary("Cancel your registration; the first on the waiting list gets the place.");

        group.MapDelete("/sessions/{id:guid}/registrations/{userId}", (Guid id, string userId, HttpContext http, IDocumentSession session,
                TimeProvider time, CancellationToken ct) =>
                SessionCommand.Retrying(id, http, session, (state, user) =>
                    Decide(new CancelRegistration(userId, user, time.GetUtcNow()), state), ct))
            .RequireAuthorization(Policies.Coordinators)
            .WithName("CancelTrainingRegistration").WithSummary("A coordinator cancels someone's registration.");
        return group;
    }
}
