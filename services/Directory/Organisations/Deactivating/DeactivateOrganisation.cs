namespace Coordination.Directory.Organisations.Deactivating;

public sealed record DeactivateOrganisationRequest(string? Reason);

public sealed record DeactivateOrganisation(Guid OrganisationId, string Reason, string DeactivatedBy, DateTimeOffset DeactivatedAt);

public static class DeactivateOrganisationEndpoint
{
    public static IReadOnlyList<object> Decide(DeactivateOrganisation command, Organisation state)
    {
        if (!state.Active)
            throw new BusinessRuleViolation("Cette organisation est déjà désactivée.");
        return [new OrganisationDeactivated(command.OrganisationId, command.Reason, command.DeactivatedBy, command.DeactivatedAt)];
    }

    public static RouteGroupBuilder MapDeactivateOrganisation(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/deactivation", Handle)
            .RequireAuthorization(Policies.Coordinators)
            .WithName("DeactivateOrganisation")
            .WithSummary("Take an organisation out of the directory; its history stays (coordinators and admins, If-Match required).");
        return group;
    }

    private static async Task<Results<NoContent, ValidationProblem>> Handle(
        Guid id, DeactivateOrganisationRequest request, ExpectedVersion expected,
        HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var validation = new OrganisationValidation();
        var reason = validation.Optional(request.Reason, "reason", 500);
        if (reason is null)
            validation.Add("reason", "Indiquez pourquoi l'organisation est désactivée.");
        if (!validation.IsValid)
            return Problems.Invalid(validation.Errors);

        var command = new DeactivateOrganisation(id, reason!, CurrentUser.From(http.User).UserId, time.GetUtcNow());
        return await session.ExecuteCommand<Organisation>(id, expected, http, state => Decide(command, state), ct);
    }
}
