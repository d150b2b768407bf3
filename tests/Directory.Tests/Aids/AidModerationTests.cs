using Coordination.Directory.Aids;
using Coordination.Directory.Aids.ListingForReview;
using Coordination.Directory.Aids.Proposing;
using Coordination.Directory.Aids.ProposingCorrection;
using Coordination.Directory.Aids.RejectingProposal;
using Coordination.Directory.Aids.ReviewingCorrections;
using Coordination.Directory.Aids.Validating;
using Coordination.Directory.Aids.Verifying;
using Coordination.Directory.Aids.Withdrawing;
using Coordination.Directory.Aids.GettingDetails;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Xunit;

namespace Coordination.Directory.Tests.Aids;

/// <summary>Given events / When a command / Then events or a refusal: the moderation rules of the guide, pure.</summary>
public class AidModerationTests
{
    private static readonly Guid Id = Guid.Parse("0193c0de-0000-7000-8000-0000000000a1");
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private const string Housing = "logement-hebergement--rechercher-une-solution-dhebergement-temporaire";

    private static AidContent Content(AidScope scope = AidScope.Local, string[]? departements = null, string name = "Nuitées d'hôtel du CCAS") => new(
        name, AidKind.ServicePayment, new AidGrantor(null, "CCAS de Montreuil"), scope,
        scope == AidScope.National ? [] : departements ?? ["93"], [], [Housing], [AidSituation.IntrafamilyViolence],
        "Personne sans solution d'hébergement le soir même.", "Appel du CCAS par le travailleur social.", null, "Le jour même",
        new AidAmount(null, null, null), "https://www.montreuil.fr/ccas", null, null);

    private static AidModerator Coordinator => new(new CurrentUser("coord-1", Roles.NationalCoordinator, null), new HashSet<string>());
    private static AidModerator ReferentOf(params string[] departements) =>
        new(new CurrentUser("ref-93", Roles.AssociationStaff, Guid.NewGuid()), departements.ToHashSet());
    private static AidModerator Staff => new(new CurrentUser("staff-1", Roles.IscgWorker, Guid.NewGuid()), new HashSet<string>());

    private static Aid Given(params AidEvent[] events) => events.Aggregate((Aid?)null, AidEvolution.Evolve)!;

    private static AidEvent[] Proposed(AidContent? content = null) =>
        [.. ProposeAidEndpoint.Decide(new ProposeAid(Id, content ?? Content(), PublishAtOnce: false, "staff-1", Now)).Cast<AidEvent>()];

    private static AidEvent[] Published(AidContent? content = null) =>
        [.. ProposeAidEndpoint.Decide(new ProposeAid(Id, content ?? Content(), PublishAtOnce: true, "coord-1", Now)).Cast<AidEvent>()];

    [Fact]
    public void A_staff_proposal_waits_for_validation_and_says_who_proposed_it()
    {
        var proposed = Assert.IsType<AidProposed>(Assert.Single(Proposed()));

        Assert.Equal("staff-1", proposed.ProposedBy);
        Assert.Equal(AidStatus.Proposed, Given(proposed).Status);
    }

    [Fact]
    public void A_moderators_own_entry_is_published_at_once_but_stays_to_verify()
    {
        var state = Given(Published());

        Assert.Equal(AidStatus.Published, state.Status);
        Assert.Null(state.LastVerifiedAt);
        Assert.True(Aid.IsStale(state.Status, state.LastVerifiedAt, Now));
    }

    [Fact]
    public void Validating_a_proposal_publishes_it_and_counts_as_a_verification_by_the_validator()
    {
        var events = ValidateAidEndpoint.Decide(new ValidateAid(Id, "ref-93", Now), Given(Proposed()));

        Assert.Collection(events,
            e => Assert.Equal("ref-93", Assert.IsType<AidPublished>(e).PublishedBy),
            e => Assert.Equal(Now, Assert.IsType<AidVerified>(e).VerifiedAt));
        var state = Given([.. Proposed(), .. events.Cast<AidEvent>()]);
        Assert.Equal(AidStatus.Published, state.Status);
        Assert.Equal("ref-93", state.LastVerifiedBy);
        Assert.False(Aid.IsStale(state.Status, state.LastVerifiedAt, Now));
    }

    [Fact]
    public void Validating_twice_is_refused_in_french()
    {
        var refusal = Assert.Throws<BusinessRuleViolation>(() => ValidateAidEndpoint.Decide(new ValidateAid(Id, "c", Now), Given(Published())));
        Assert.Equal("Cette aide est déjà publiée.", refusal.Message);
    }

    [Fact]
    public void A_rejected_proposal_keeps_its_reason_and_cannot_be_validated_afterwards()
    {
        var rejected = RejectAidProposalEndpoint.Decide(new RejectAidProposal(Id, "Doublon de l'aide du département", "coord-1", Now), Given(Proposed()));
        var state = Given([.. Proposed(), .. rejected.Cast<AidEvent>()]);

        Assert.Equal("Doublon de l'aide du département", Assert.IsType<AidProposalRejected>(Assert.Single(rejected)).Reason);
        Assert.Equal(AidStatus.Rejected, state.Status);
        Assert.Throws<BusinessRuleViolation>(() => ValidateAidEndpoint.Decide(new ValidateAid(Id, "c", Now), state));
    }

    [Fact]
    public void An_aid_verified_thirteen_months_ago_is_to_verify_again_and_one_verified_eleven_months_ago_is_not()
    {
        var verifiedLongAgo = Given([.. Published(), new AidVerified(Id, "coord-1", Now.AddMonths(-13))]);
        var verifiedRecently = Given([.. Published(), new AidVerified(Id, "coord-1", Now.AddMonths(-11))]);

        Assert.True(Aid.IsStale(verifiedLongAgo.Status, verifiedLongAgo.LastVerifiedAt, Now));
        Assert.False(Aid.IsStale(verifiedRecently.Status, verifiedRecently.LastVerifiedAt, Now));
        var verified = Assert.IsType<AidVerified>(Assert.Single(VerifyAidEndpoint.Decide(new VerifyAid(Id, "ref-93", Now), verifiedLongAgo)));
        Assert.Equal("ref-93", verified.VerifiedBy);
    }

    [Fact]
    public void Withdrawal_keeps_the_reason_and_freezes_the_aid()
    {
        var withdrawn = Assert.IsType<AidWithdrawn>(Assert.Single(
            WithdrawAidEndpoint.Decide(new WithdrawAid(Id, "Dispositif supprimé au 1er janvier", "coord-1", Now), Given(Published()))));
        var state = Given([.. Published(), withdrawn]);

        Assert.Equal("Dispositif supprimé au 1er janvier", withdrawn.Reason);
        Assert.Equal(AidStatus.Withdrawn, state.Status);
        Assert.False(Aid.IsStale(state.Status, state.LastVerifiedAt, Now));
        var refusal = Assert.Throws<BusinessRuleViolation>(() => VerifyAidEndpoint.Decide(new VerifyAid(Id, "c", Now), state));
        Assert.Contains("retirée", refusal.Message);
        Assert.Throws<BusinessRuleViolation>(() => ProposeAidCorrectionEndpoint.Decide(
            new ProposeAidCorrection(Id, Guid.NewGuid(), Content(name: "Autre nom"), null, "staff-1", Now), state));
    }

    [Fact]
    public void A_correction_waits_until_a_moderator_accepts_it_then_replaces_the_content_and_verifies()
    {
        var correctionId = Guid.NewGuid();
        var corrected = Content(name: "Nuitées d'hôtel d'urgence du CCAS");
        var proposed = ProposeAidCorrectionEndpoint.Decide(
            new ProposeAidCorrection(Id, correctionId, corrected, "Nom officiel", "staff-1", Now), Given(Published()));
        var pending = Given([.. Published(), .. proposed.Cast<AidEvent>()]);
        Assert.Equal("Nuitées d'hôtel du CCAS", pending.Content.Name);
        Assert.Single(pending.PendingCorrections);

        var accepted = ReviewAidCorrectionEndpoint.Decide(new AcceptAidCorrection(Id, correctionId, ReferentOf("93"), Now), pending);
        var state = Given([.. Published(), .. proposed.Cast<AidEvent>(), .. accepted.Cast<AidEvent>()]);

        Assert.Equal("Nuitées d'hôtel d'urgence du CCAS", state.Content.Name);
        Assert.Empty(state.PendingCorrections);
        Assert.Equal("ref-93", state.LastVerifiedBy);
    }

    [Fact]
    public void A_correction_that_changes_nothing_is_refused()
    {
        var refusal = Assert.Throws<BusinessRuleViolation>(() => ProposeAidCorrectionEndpoint.Decide(
            new ProposeAidCorrection(Id, Guid.NewGuid(), Content(), null, "staff-1", Now), Given(Published())));
        Assert.Equal("Cette correction ne change rien à la fiche actuelle.", refusal.Message);
    }

    [Fact]
    public void A_rejected_correction_leaves_the_content_as_it_was()
    {
        var correctionId = Guid.NewGuid();
        var proposed = new AidCorrectionProposed(Id, correctionId, Content(name: "Faux nom"), null, "staff-1", Now);
        var rejected = ReviewAidCorrectionEndpoint.Decide(new RejectAidCorrection(Id, correctionId, "Source introuvable", "coord-1", Now),
            Given([.. Published(), proposed]));
        var state = Given([.. Published(), proposed, .. rejected.Cast<AidEvent>()]);

        Assert.Equal("Nuitées d'hôtel du CCAS", state.Content.Name);
        Assert.Empty(state.PendingCorrections);
        Assert.Equal("Source introuvable", Assert.IsType<AidCorrectionRejected>(Assert.Single(rejected)).Reason);
    }

    [Fact]
    public void A_referent_moderates_the_local_aids_of_their_departements_only()
    {
        Assert.True(ReferentOf("93").MayModerate(Content(departements: ["93"])));
        Assert.False(ReferentOf("93").MayModerate(Content(departements: ["93", "94"])));
        Assert.False(ReferentOf("93").MayModerate(Content(departements: ["69"])));
        Assert.False(ReferentOf("93").MayModerate(Content(AidScope.National)));
        Assert.True(Coordinator.MayModerate(Content(AidScope.National)));
        Assert.False(Staff.MayModerate(Content(departements: ["93"])));
        Assert.False(Staff.IsModerator);
    }

    [Fact]
    public void A_referent_cannot_accept_a_correction_that_makes_their_local_aid_national()
    {
        var correctionId = Guid.NewGuid();
        var state = Given([.. Published(), new AidCorrectionProposed(Id, correctionId, Content(AidScope.National), null, "staff-1", Now)]);

        var refusal = Assert.Throws<AccessDenied>(() =>
            ReviewAidCorrectionEndpoint.Decide(new AcceptAidCorrection(Id, correctionId, ReferentOf("93"), Now), state));
        Assert.Contains("coordinateurs nationaux", refusal.Message);
    }

    [Fact]
    public void The_review_list_of_a_referent_holds_their_proposals_corrections_and_stale_aids_and_nothing_national()
    {
        AidDetails Details(Guid id, AidContent content, AidStatus status, DateTimeOffset? verified, int pending = 0) =>
            new(id, content, status, verified, verified is null ? null : "c", [.. Enumerable.Range(0, pending)
                .Select(_ => new PendingCorrection(Guid.NewGuid(), content, null, "s", Now))], null, null, "s", Now, Now, 1);
        var proposal = Details(Guid.NewGuid(), Content(), AidStatus.Proposed, null);
        var corrected = Details(Guid.NewGuid(), Content(), AidStatus.Published, Now, pending: 1);
        var stale = Details(Guid.NewGuid(), Content(), AidStatus.Published, Now.AddMonths(-14));
        var fresh = Details(Guid.NewGuid(), Content(), AidStatus.Published, Now.AddMonths(-2));
        var national = Details(Guid.NewGuid(), Content(AidScope.National), AidStatus.Published, null);
        var elsewhere = Details(Guid.NewGuid(), Content(departements: ["69"]), AidStatus.Proposed, null);

        var list = AidsToReviewEndpoint.Select([proposal, corrected, stale, fresh, national, elsewhere], ReferentOf("93"), Now);

        Assert.Equal([proposal.Id], list.Proposals.Select(a => a.Id));
        Assert.Equal([corrected.Id], list.Corrections.Select(a => a.Id));
        Assert.Equal([stale.Id], list.ToVerify.Select(a => a.Id));
        Assert.Equal(["93"], list.ReferentOf);
        Assert.Contains(national.Id, AidsToReviewEndpoint.Select([national], Coordinator, Now).ToVerify.Select(a => a.Id));
    }
}
