using Coordination.Referrals.Referrals.Accepting;
using Coordination.Referrals.Referrals.Auditing;
using Coordination.Referrals.Referrals.Acknowledging;
using Coordination.Referrals.Referrals.Completing;
using Coordination.Referrals.Referrals.Declining;
using Coordination.Referrals.Referrals.Drafting;
using Coordination.Referrals.Referrals.EnteringInError;
using Coordination.Referrals.Referrals.Erasing;
using Coordination.Referrals.Referrals.ReadingArchives;
using Coordination.Referrals.Referrals.GettingDetails;
using Coordination.Referrals.Referrals.Holding;
using Coordination.Referrals.Referrals.ListingReferrals;
using Coordination.Referrals.Referrals.Messaging;
using Coordination.Referrals.Referrals.RecordingFirstContact;
using Coordination.Referrals.Referrals.Redirecting;
using Coordination.Referrals.Referrals.Sending;
using Coordination.Referrals.Referrals.Withdrawing;

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
