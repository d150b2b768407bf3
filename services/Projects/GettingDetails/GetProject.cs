namespace Coordination.Projects.GettingDetails;

public static class GetProject
{
    public static RouteGroupBuilder MapGetProject(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}", async Task<Results<Ok<ProjectView>, ProblemHttpResult>> (Guid id, HttpContext http, IQuerySession session,
                CancellationToken ct) =>
            {
                var project = await session.LoadAsync<Project>(id, ct);
                if (project is null) return Problems.NotFound(ProjectRules.NotFound);
                var version = (await session.Events.FetchStreamStateAsync(id, ct))!.Version;
                http.Response.SetETag(version);
                return TypedResults.Ok(ProjectView.Of(project, version, CurrentUser.From(http.User)));
            })
            .WithName("GetProject").WithSummary("One project with its funding plan, partners, milestones and the actions you may take.");
        return group;
    }
}
