namespace Coordination.Training.Sessions.Registering;

public sealed record RegisterOnBehalfRequest(string? UserId, string? Name, Guid? OrganisationId, Network? Network);

public sealed record Register(Participant Participant, CurrentUser By, DateTimeOffset At)
{
    /// <summary>Registering yourself: who you are at work comes from your token, never from the body.</summary>
    public static Register Self(CurrentUser user, string? name, DateTimeOffset at) =>
        SessionRules.NetworkOf(user.Role) is { } network && user.OrganisationId is { } organisation
            ? new Register(new Participant(user.UserId, name ?? user.UserId, organisation, network), user, at)
            : throw new AccessDenied("Seuls les professionnels d'une organisation s'inscrivent eux-mêmes ; un coordinateur inscrit quelqu'un « pour le compte de ».");
}

public static class RegisterEndpoint
{
    /// <summary>A place if one is left, else the waiting list, in order; never twice; not once registration has closed.</summary>
    public static IReadOnlyList<object> Decide(Register command, TrainingSession state)
    {
        if (command.Participant.UserId != command.By.UserId)
            SessionRules.EnsureCoordinator(command.By);
        if (state.Status is not SessionStatus.RegistrationOpen)
            throw new BusinessRuleViolation("Les inscriptions ne sont pas ouvertes pour cette session.");
        if (command.At >= state.RegistrationClosesAt)
            throw new BusinessRuleViolation($"Les inscriptions sont closes depuis le {SessionRules.Paris(state.RegistrationClosesAt)}.");
        if (state.Knows(command.Participant.UserId))
            throw new BusinessRuleViolation("Cette personne est déjà inscrite (ou en liste d'attente) à cette session.");
        return state.IsFull
            ? [new ParticipantWaitlisted(state.Id, command.Participant, command.By.UserId, command.At)]
            : [new ParticipantRegistered(state.Id, command.Participant, command.By.UserId, command.At)];
    }

    public static RouteGroupBuilder MapRegister(this RouteGroupBuilder group)
    {
        group.MapPost("/sessions/{id:guid}/registrations", (Guid id, HttpContext http, IDocumentSession session, TimeProvider time,
                CancellationToken ct) =>
                SessionCommand.Retrying(id, http, session, (state, user) =>
                    Decide(Register.Self(user, http.User.FindFirst(CoordinationClaims.Name)?.Value, time.GetUtcNow()), state), ct))
            .WithName("RegisterForTrainingSession").WithSummary("Register yourself: a place, or the waiting list in order.");

        group.MapPost("/sessions/{id:guid}/registrations/on-behalf", async Task<Results<NoContent, ValidationProblem>> (Guid id, RegisterOnBehalfRequest request, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var validation = new TrainingValidation();
                var userId = validation.Text(request.UserId, "userId", 200, required: true);
                var name = validation.Text(request.Name, "name", 200, required: true);
                if (request.OrganisationId is null) validation.Add("organisationId", "Précisez l'organisation de la personne.");
                if (request.Network is null) validation.Add("network", "Précisez son réseau : aniscg, franceVictimes ou partners.");
                if (!validation.IsValid) return Problems.Invalid(validation.Errors);
                var participant = new Participant(userId!, name!, request.OrganisationId!.Value, request.Network!.Value);
                return await SessionCommand.Retrying(id, http, session,
                    (state, user) => Decide(new Register(participant, user, time.GetUtcNow()), state), ct);
            })
            .RequireAuthorization(Policies.Coordinators)
            .WithName("RegisterSomeoneForTrainingSession").WithSummary("A coordinator registers a professional.");
        return group;
    }
}
