using Coordination.Directory.Aids.Exchanging;
using Coordination.Directory.Aids.GettingDetails;
using Coordination.Directory.Aids.GettingHistory;
using Coordination.Directory.Aids.ListingForReview;
using Coordination.Directory.Aids.Proposing;
using Coordination.Directory.Aids.ProposingCorrection;
using Coordination.Directory.Aids.Referents;
using Coordination.Directory.Aids.RejectingProposal;
using Coordination.Directory.Aids.ReviewingCorrections;
using Coordination.Directory.Aids.Searching;
using Coordination.Directory.Aids.Validating;
using Coordination.Directory.Aids.Verifying;
using Coordination.Directory.Aids.Withdrawing;

namespace Coordination.Directory.Apis;

/// <summary>The guide of aids ("Guide des aides"): read by every signed-in professional, proposed by staff, moderated by coordinators and referents.</summary>
public static class AidsApi
{
    public static IEndpointRouteBuilder MapAidsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/directory/aids")
            .WithTags("Aids")
            .MapProposeAid()
            .MapSearchAids()
            .MapAidsToReview()
            .MapAidsCsv()
            .MapAidReferents()
            .MapGetAidDetails()
            .MapAidHistory()
            .MapValidateAid()
            .MapRejectAidProposal()
            .MapVerifyAid()
            .MapWithdrawAid()
            .MapProposeAidCorrection()
            .MapReviewAidCorrection();
        return app;
    }
}
