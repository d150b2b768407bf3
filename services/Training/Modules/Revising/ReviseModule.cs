namespace Coordination.Training.Modules.Revising;

public sealed record ReviseModule(ModuleContent Content, string By, DateTimeOffset At);

public static class ReviseModuleEndpoint
{
    /// <summary>A new version, unless nothing changed; a retired module stays as it was.</summary>
    public static IReadOnlyList<object> Decide(ReviseModule command, TrainingModule state)
    {
        if (state.Retired) throw new BusinessRuleViolation("Ce module est retiré du catalogue : il ne peut plus être révisé.");
        return state.Content == command.Content ? [] : [new ModuleRevised(state.Id, state.Version + 1, command.Content, command.By, command.At)];
    }

    public static RouteGroupBuilder MapReviseModule(this RouteGroupBuilder group)
    {
        group.MapPut("/modules/{id:guid}", async Task<Results<NoContent, ValidationProblem>> (Guid id, ModuleRequest request,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                if (request.Invalid() is { } invalid) return Problems.Invalid(invalid.Errors);
                var command = new ReviseModule(request.Content(), CurrentUser.From(http.User).UserId, time.GetUtcNow());
                return await session.ExecuteCommand<TrainingModule>(id, expected, http, state => Decide(command, state), ct,
                    notFound: ModuleRules.NotFound);
            })
            .RequireAuthorization(Policies.Coordinators).WithName("ReviseTrainingModule")
            .WithSummary("Revise a module: a new version; scheduled sessions keep theirs (If-Match).");
        return group;
    }
}
