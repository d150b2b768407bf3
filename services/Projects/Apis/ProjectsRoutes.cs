using Coordination.Projects.Projects;
using Coordination.Projects.SupportRequests;

namespace Coordination.Projects.Apis;

public static class ProjectsRoutes
{
    public static IEndpointRouteBuilder MapProjectsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/projects")
            .WithTags("Projects")
            .MapSupportRequests()
            .MapProjects();
        return app;
    }
}
