using Coordination.Referrals.Accepting;
using Coordination.Referrals.Auditing;
using Coordination.Referrals.Acknowledging;
using Coordination.Referrals.Completing;
using Coordination.Referrals.Declining;
using Coordination.Referrals.Drafting;
using Coordination.Referrals.EnteringInError;
using Coordination.Referrals.Erasing;
using Coordination.Referrals.ReadingArchives;
using Coordination.Referrals.GettingDetails;
using Coordination.Referrals.Holding;
using Coordination.Referrals.ListingReferrals;
using Coordination.Referrals.Messaging;
using Coordination.Referrals.RecordingFirstContact;
using Coordination.Referrals.Redirecting;
using Coordination.Referrals.Sending;
using Coordination.Referrals.Withdrawing;

namespace Coordination.Referrals.Apis;

public static class ReferralsApi
{
    public static IEndpointRouteBuilder MapReferralsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/referrals")
            .WithTags("Referrals")
            .MapDraftReferral()
            .MapListReferrals()
            .MapGetReferral()
            .MapSendReferral()
            .MapAcknowledgeReferral()
            .MapHoldReferral()
            .MapAcceptReferral()
            .MapDeclineReferral()
            .MapRedirectReferral()
            .MapRecordFirstContact()
            .MapCompleteReferral()
            .MapWithdrawReferral()
            .MapEnterReferralInError()
            .MapReferralMessages()
            .MapReferralAudit()
            .MapErasePersonalData()
            .MapReadArchivedReferral();
        return app;
    }
}
