using Coordination.Directory.Organisations.ChangingCoverage;
using Coordination.Directory.Organisations.ChangingReferralCapacity;
using Coordination.Directory.Organisations.Deactivating;
using Coordination.Directory.Organisations.GettingDetails;
using Coordination.Directory.Organisations.Registering;
using Coordination.Directory.Organisations.Searching;
using Coordination.Directory.Organisations.UpdatingDetails;

namespace Coordination.Directory.Apis;

public static class OrganisationsApi
{
    public static IEndpointRouteBuilder MapOrganisationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/directory/organisations")
            .WithTags("Organisations")
            .MapRegisterOrganisation()
            .MapGetOrganisationDetails()
            .MapSearchOrganisations()
            .MapUpdateOrganisationDetails()
            .MapChangeCoverage()
            .MapChangeReferralCapacity()
            .MapDeactivateOrganisation();
        return app;
    }
}
