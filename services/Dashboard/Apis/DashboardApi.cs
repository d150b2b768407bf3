using Coordination.Dashboard.Organisations;

namespace Coordination.Dashboard.Apis;

public static class DashboardApi
{
    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/dashboard")
            .WithTags("Dashboard")
            .MapOrganisationsByDepartement();
        return app;
    }
}
