namespace Coordination.Projects;

/// <summary>The common path of every command on an existing project.</summary>
public static class ProjectCommand
{
    public static async Task<Results<NoContent, ValidationProblem>> Execute(
        Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
        Func<Project, CurrentUser, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        return await session.ExecuteCommand<Project>(id, expected, http, state => decide(state, user), ct,
            authorize: state =>
            {
                // A project the caller's organisation has no part in does not exist, as far as a command can tell.
                if (!state.Involves(user))
                    throw new ResourceNotFound(ProjectRules.NotFound);
            },
            notFound: ProjectRules.NotFound);
    }
}
