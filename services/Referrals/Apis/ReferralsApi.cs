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
using Coordination.Referrals.Resending;
using Coordination.Referrals.Sending;
using Coordination.Referrals.Withdrawing;

namespace Coordination.Referrals.Apis;

public static class ReferralsApi
{
    /// <summary>
    /// Every command on an existing referral, probed to answer <c>allowedActions</c> (GET /{id}). A new transition adds
    /// its slice's action here, next to its Map call.
    /// </summary>
    public static readonly IReadOnlyList<ReferralAction> Actions =
    [
        SendReferralEndpoint.Action, AcknowledgeReferralEndpoint.Action, AcceptReferralEndpoint.Action,
        HoldReferralEndpoints.HoldAction, HoldReferralEndpoints.ResumeAction, RecordFirstContactEndpoint.Action,
        CompleteReferralEndpoint.Action, RedirectReferralEndpoint.Action, DeclineReferralEndpoint.Action,
        WithdrawReferralEndpoint.Action, EnterReferralInErrorEndpoint.Action, ResendReferralEndpoint.Action,
        ReferralMessagesEndpoints.PostAction, ReferralMessagesEndpoints.MarkReadAction,
        // Erasure is the collector's manager's (or an admin's), not a party's: its own guard decides.
        new("erasure", probe =>
        {
            ErasePersonalDataEndpoint.Authorize(probe.State, probe.User);
            return ErasePersonalDataEndpoint.Decide(new ErasePersonalData(ErasureGround.PersonRequest, null, probe.User.UserId, null, probe.Now), probe.State);
        }, ForPartiesOnly: false),
    ];

    public static IEndpointRouteBuilder MapReferralsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/referrals")
            .WithTags("Referrals")
            .MapDraftReferral()
            .MapListReferrals()
            .MapGetReferral()
            .MapReferralChain()
            .MapSendReferral()
            .MapAcknowledgeReferral()
            .MapHoldReferral()
            .MapAcceptReferral()
            .MapDeclineReferral()
            .MapRedirectReferral()
            .MapResendReferral()
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
