namespace Coordination.Training.Modules.Retiring;

public sealed record RetireModuleRequest(string? Reason);

public sealed record RetireModule(string Reason, string By, DateTimeOffset At);

public static class RetireModuleEndpoint
{
    public static IReadOnlyList<object> Decide(RetireModule command, TrainingModule state) =>
        state.Retired
            ? throw new BusinessRuleViolation("Ce module est déjà retiré du catalogue.")
            : [new ModuleRetired(state.Id, command.Reason, command.By, command.At)];

    public static RouteGroupBuilder MapRetireModule(this RouteGroupBuilder group)
    {
        group.MapPost("/modules/{id:guid}/retirement", async Task<Results<NoContent, ValidationProblem>> (Guid id, RetireModuleRequest request,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var validation = new TrainingValidation();
                var reason = validation.Text(request.Reason, "reason", 1000, required: true);
                if (!validation.IsValid) return Problems.Invalid(validation.Errors);
                var command = new RetireModule(reason!, CurrentUser.From(http.User).UserId, time.GetUtcNow());
                return await session.ExecuteCommand<TrainingModule>(id, expected, http, state => Decide(command, state), ct,
                    notFound: ModuleRules.NotFound);
            })
            .RequireAuthorization(Policies.Coordinators).WithName("RetireTrainingModule")
            .WithSummary("Take a module out of the catalogue (If-Match).");
        return group;
    }
}
