namespace Coordination.Training.Modules.GettingModule;

public static class GetModule
{
    public static RouteGroupBuilder MapGetModule(this RouteGroupBuilder group)
    {
        group.MapGet("/modules/{id:guid}", async Task<Results<Ok<ModuleDetails>, ProblemHttpResult>> (
                Guid id, HttpContext http, IQuerySession session, CancellationToken ct) =>
            {
                var module = await session.LoadAsync<ModuleDetails>(id, ct);
                if (module is null) return Problems.NotFound(ModuleRules.NotFound);
                http.Response.SetETag(module.StreamVersion);
                return TypedResults.Ok(module);
            })
            .WithName("GetTrainingModule").WithSummary("One module with its versions.");
        return group;
    }
}
