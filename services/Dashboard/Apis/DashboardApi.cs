using Coordination.Dashboard.Organisations;
using Coordination.Dashboard.Referrals;
using Coordination.Dashboard.Training;
using Coordination.Dashboard.Projects;
using Coordination.Dashboard.Live;
using Coordination.Dashboard.Aids;

namespace Coordination.Dashboard.Apis;

public static class DashboardApi
{
    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/dashboard")
            .WithTags("Dashboard")
            .MapOrganisationsByDepartement()
            .MapReferralActivity()
            .MapReferralTimings()
            .MapReferralIndicators()
            .MapTrainingIndicators()
            .MapProjectIndicators()
            .MapDashboardChanges()
            .MapAidsByDepartement();
        return app;
    }
}
