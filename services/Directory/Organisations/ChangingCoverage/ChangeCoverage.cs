namespace Coordination.Directory.Organisations.ChangingCoverage;

public sealed record ChangeCoverageRequest(IReadOnlyList<string>? Departements, IReadOnlyList<string>? Needs);

public sealed record ChangeCoverage(
    Guid OrganisationId, IReadOnlyList<string> Departements, IReadOnlyList<string> Needs, string ChangedBy, DateTimeOffset ChangedAt);

public static class ChangeCoverageEndpoint
{
    public static IReadOnlyList<object> Decide(ChangeCoverage command, Organisation state)
    {
        state.EnsureActive();
        if (state.Departements.SequenceEqual(command.Departements) && state.Needs.SequenceEqual(command.Needs))
            return [];
        return [new OrganisationCoverageChanged(command.OrganisationId, command.Departements, command.Needs, command.ChangedBy, command.ChangedAt)];
    }

    public static RouteGroupBuilder MapChangeCoverage(this RouteGroupBuilder group)
    {
        group.MapPut("/{id:guid}/coverage", Handle)
            .WithName("ChangeOrganisationCoverage")
            .WithSummary("Replace the départements covered and the needs served (If-Match required).");
        return group;
    }

    private static async Task<Results<NoContent, ValidationProblem>> Handle(
        Guid id, ChangeCoverageRequest request, ExpectedVersion expected,
        HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        OrganisationAccess.EnsureMayChange(user, id);
        var validation = new OrganisationValidation();
        var departements = validation.Departements(request.Departements);
        var needs = validation.Needs(request.Needs);
        if (!validation.IsValid)
            return Problems.Invalid(validation.Errors);

        var command = new ChangeCoverage(id, departements, needs, user.UserId, time.GetUtcNow());
        return await session.ExecuteCommand<Organisation>(id, expected, http, state => Decide(command, state), ct);
    }
}
