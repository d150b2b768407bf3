using Coordination.Dashboard.Organisations;
using Coordination.Dashboard.Referrals;
using Coordination.Dashboard.Training;
using Coordination.Dashboard.Projects;
using Coordination.Dashboard.Live;
using Coordination.Dashboard.Aids;
using Coordination.Dashboard.MyOrganisation;
using Coordination.Dashboard.AnnualReport;
using Coordination.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;

namespace Coordination.Dashboard.Apis;

public static class DashboardApi
{
    /// <summary>
    /// A valid token that says who calls. The indicators' own rule (<see cref="Indicators.IndicatorQuery"/>) then decides who reads
    /// them and refuses everyone else, a job's token (role <c>service</c>) included, with the same French problem; the default
    /// policy would refuse the <c>service</c> role first with a bare 403. Endpoints with their own policy (coordinators) keep it.
    /// </summary>
    private static readonly AuthorizationPolicy SignedCaller = new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser().RequireClaim(CoordinationClaims.UserId).Build();

    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/dashboard")
            .WithTags("Dashboard")
            .RequireAuthorization(SignedCaller)
            .MapOrganisationsByDepartement()
            .MapReferralActivity()
            .MapReferralTimings()
            .MapReferralIndicators()
            .MapOrganisationIndicators()
            .MapAnnualReport()
            .MapTrainingIndicators()
            .MapProjectIndicators()
            .MapDashboardChanges()
            .MapAidsByDepartement();
        return app;
    }
}
