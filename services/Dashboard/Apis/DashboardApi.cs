using Coordination.Dashboard.Organisations;
using Coordination.Dashboard.Referrals;

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
            .MapReferralIndicators();
        return app;
    }
}
