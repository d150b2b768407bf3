using Coordination.DirectoryView;
using Coordination.Referrals;
using Coordination.Referrals.Accepting;
using Coordination.Referrals.Acknowledging;
using Coordination.Referrals.Completing;
using Coordination.Referrals.Deadlines;
using Coordination.Referrals.Declining;
using Coordination.Referrals.Drafting;
using Coordination.Referrals.EnteringInError;
using Coordination.Referrals.Holding;
using Coordination.Referrals.Messaging;
using Coordination.Referrals.RecordingFirstContact;
using Coordination.Referrals.Sending;
using Coordination.Referrals.Withdrawing;
using Coordination.ServiceDefaults.Http;
using Xunit;

namespace Coordination.Referrals.Tests;

/// <summary>Every transition of the closed loop, allowed and refused — pure Decide/Evolve, no infrastructure.</summary>
public class ReferralLifecycleTests
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly Guid IscgPost = Guid.NewGuid();
    private static readonly Guid Association = Guid.NewGuid();
    private static readonly Party Worker = new("iscg-1", IscgPost);
    private static readonly Party Staff = new("aav-1", Association);
    private static readonly Party Outsider = new("other-1", Guid.NewGuid());
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 22, 0, 0, TimeSpan.Zero);
    private static readonly KnownOrganisation Receiver = new(Association, "victim-support-association", ["93"], true, true, true, 1, 1);

    private static ReferralEvent[] Drafted(bool consent = true) =>
    [
        .. DraftReferralEndpoint.Decide(new DraftReferral(Id, Worker, Association, "93",
            new PersonDetails("P-ABCDEFGH", "Nadia", new ContactChannel(ContactChannelKind.Phone, "06 00 00 00 00"), AgeBand.From26To40, true),
            SituationCategory.IntrafamilyViolence, ["logement-hebergement--rechercher-une-solution-dhebergement-temporaire"],
            Urgency.Immediate, "Plainte déposée ce soir", consent ? ConsentMethod.Oral : null,
            consent ? new SharingScope(true, true, true) : null, null, T0)).Cast<ReferralEvent>(),
    ];

    private static readonly (DateTimeOffset, DateTimeOffset) Deadlines = (T0.AddHours(2), T0.AddDays(3));

    private static ReferralEvent[] Sent() =>
        [.. Drafted(), new ReferralSent(Id, Deadlines.Item1, Deadlines.Item2, Worker, T0)];

    private static Referral Given(params ReferralEvent[] events) => events.Aggregate((Referral?)null, ReferralEvolution.Evolve)!;

    private static Referral Then(Referral state, IEnumerable<object> events) =>
        events.Cast<ReferralEvent>().Aggregate((Referral?)state, ReferralEvolution.Evolve)!;

    [Fact]
    public void A_consented_draft_is_sent_with_its_deadlines()
    {
        var events = SendReferralEndpoint.Decide(new SendReferral(Worker, Deadlines, T0), Given(Drafted()), Receiver);

        var sent = Assert.IsType<ReferralSent>(Assert.Single(events));
        Assert.Equal(T0.AddHours(2), sent.AcknowledgeBy);
        Assert.Equal(ReferralStatus.Sent, Then(Given(Drafted()), events).Status);
    }

    [Fact]
    public void A_draft_without_consent_cannot_be_sent()
    {
        var refusal = Assert.Throws<BusinessRuleViolation>(() =>
            SendReferralEndpoint.Decide(new SendReferral(Worker, Deadlines, T0), Given(Drafted(consent: false)), Receiver));
        Assert.Contains("consentement", refusal.Message);
    }

    [Fact]
    public void An_overridden_consent_allows_sending_and_is_flagged()
    {
        var state = Given([.. Drafted(consent: false), new ConsentOverridden(Id, "Danger immédiat, personne hors d'état de consentir", Worker, T0)]);

        Assert.Single(SendReferralEndpoint.Decide(new SendReferral(Worker, Deadlines, T0), state, Receiver));
        Assert.True(state.ConsentOverridden);
    }

    [Fact]
    public void Sending_to_an_organisation_that_does_not_take_referrals_is_refused()
    {
        Assert.Throws<BusinessRuleViolation>(() => SendReferralEndpoint.Decide(
            new SendReferral(Worker, Deadlines, T0), Given(Drafted()), Receiver with { AcceptsReferrals = false }));
    }

    [Fact]
    public void The_full_loop_sent_acknowledged_accepted_in_progress_completed()
    {
        var state = Given(Sent());
        state = Then(state, AcknowledgeReferralEndpoint.Decide(new AcknowledgeReferral(Staff, T0.AddMinutes(30)), state));
        Assert.Equal(ReferralStatus.Acknowledged, state.Status);
        state = Then(state, AcceptReferralEndpoint.Decide(new AcceptReferral(Staff, T0.AddHours(1)), state));
        Assert.Equal(ReferralStatus.Accepted, state.Status);
        state = Then(state, RecordFirstContactEndpoint.Decide(new RecordFirstContact(T0.AddHours(3), Staff, T0.AddHours(4)), state));
        Assert.Equal(ReferralStatus.InProgress, state.Status);
        state = Then(state, CompleteReferralEndpoint.Decide(new CompleteReferral(Outcome.Helped, null, Staff, T0.AddDays(10)), state));
        Assert.Equal(ReferralStatus.Completed, state.Status);
    }

    [Fact]
    public void Accepting_a_sent_referral_also_acknowledges_it()
    {
        var events = AcceptReferralEndpoint.Decide(new AcceptReferral(Staff, T0), Given(Sent()));

        Assert.Collection(events, e => Assert.IsType<ReferralAcknowledged>(e), e => Assert.IsType<ReferralAccepted>(e));
    }

    [Fact]
    public void On_hold_and_back()
    {
        var state = Given(Sent());
        state = Then(state, HoldReferralEndpoints.Decide(new PutReferralOnHold("En attente du numéro de dossier", Staff, T0), state));
        Assert.Equal(ReferralStatus.OnHold, state.Status);
        Assert.Throws<BusinessRuleViolation>(() => HoldReferralEndpoints.Decide(new PutReferralOnHold("encore", Staff, T0), state));
        state = Then(state, HoldReferralEndpoints.Decide(new ResumeReferral(Staff, T0), state));
        Assert.Equal(ReferralStatus.Acknowledged, state.Status);
    }

    [Fact]
    public void Only_the_receiver_answers_and_only_the_sender_withdraws()
    {
        var state = Given(Sent());

        Assert.Throws<AccessDenied>(() => AcceptReferralEndpoint.Decide(new AcceptReferral(Worker, T0), state));
        Assert.Throws<AccessDenied>(() => AcknowledgeReferralEndpoint.Decide(new AcknowledgeReferral(Outsider, T0), state));
        Assert.Throws<AccessDenied>(() => WithdrawReferralEndpoint.Decide(new WithdrawReferral("non", Staff, T0), state));
        Assert.Single(WithdrawReferralEndpoint.Decide(new WithdrawReferral("La personne a trouvé une solution", Worker, T0), state));
    }

    [Fact]
    public void A_decline_needs_reasons_and_ends_the_referral()
    {
        var state = Then(Given(Sent()), DeclineReferralEndpoint.Decide(new DeclineReferral(
            [DeclineReason.OutsideTerritory], "Hors de notre secteur, voir le CIDFF", DeclinedBy.Organisation, Staff, T0), Given(Sent())));

        Assert.Equal(ReferralStatus.Declined, state.Status);
        Assert.True(state.IsTerminal);
        var refusal = Assert.Throws<BusinessRuleViolation>(() => AcceptReferralEndpoint.Decide(new AcceptReferral(Staff, T0), state));
        Assert.Contains("refusée", refusal.Message);
    }

    public static TheoryData<string, ReferralEvent[]> TerminalHistories => new()
    {
        { "withdrawn", [.. Sent(), new ReferralWithdrawn(Id, "x", Worker, T0)] },
        { "expired", [.. Sent(), new ReferralExpired(Id, T0)] },
        { "entered in error", [.. Sent(), new ReferralEnteredInError(Id, "doublon", Worker, T0)] },
        { "completed", [.. Sent(), new ReferralAccepted(Id, Staff, T0), new FirstContactRecorded(Id, T0, Staff, T0), new ReferralCompleted(Id, Outcome.Helped, null, Staff, T0)] },
    };

    [Theory]
    [MemberData(nameof(TerminalHistories))]
    public void Nothing_moves_a_terminal_referral(string why, ReferralEvent[] history)
    {
        var state = Given(history);

        Assert.True(state.IsTerminal, why);
        Assert.Throws<BusinessRuleViolation>(() => AcknowledgeReferralEndpoint.Decide(new AcknowledgeReferral(Staff, T0), state));
        Assert.Throws<BusinessRuleViolation>(() => AcceptReferralEndpoint.Decide(new AcceptReferral(Staff, T0), state));
        Assert.Throws<BusinessRuleViolation>(() => WithdrawReferralEndpoint.Decide(new WithdrawReferral("x", Worker, T0), state));
        Assert.Throws<BusinessRuleViolation>(() => ReferralMessagesEndpoints.Decide(new PostMessage(Guid.NewGuid(), "?", Worker, T0), state));
    }

    [Fact]
    public void First_contact_needs_an_acceptance_and_a_plausible_date()
    {
        Assert.Throws<BusinessRuleViolation>(() =>
            RecordFirstContactEndpoint.Decide(new RecordFirstContact(T0, Staff, T0), Given(Sent())));
        var accepted = Given([.. Sent(), new ReferralAccepted(Id, Staff, T0)]);
        Assert.Throws<BusinessRuleViolation>(() =>
            RecordFirstContactEndpoint.Decide(new RecordFirstContact(T0.AddDays(1), Staff, T0.AddHours(1)), accepted));
        Assert.Throws<BusinessRuleViolation>(() =>
            RecordFirstContactEndpoint.Decide(new RecordFirstContact(T0.AddDays(-1), Staff, T0.AddHours(1)), accepted));
    }

    [Fact]
    public void Without_first_contact_only_could_not_contact_closes_an_accepted_referral()
    {
        var accepted = Given([.. Sent(), new ReferralAccepted(Id, Staff, T0)]);

        Assert.Throws<BusinessRuleViolation>(() =>
            CompleteReferralEndpoint.Decide(new CompleteReferral(Outcome.Helped, null, Staff, T0), accepted));
        Assert.Single(CompleteReferralEndpoint.Decide(new CompleteReferral(Outcome.CouldNotContact, "3 appels sans réponse", Staff, T0), accepted));
    }

    [Fact]
    public void Entered_in_error_is_for_the_sender_and_once()
    {
        var state = Given(Sent());
        Assert.Throws<AccessDenied>(() => EnterReferralInErrorEndpoint.Decide(new EnterReferralInError("x", Staff, T0), state));
        state = Then(state, EnterReferralInErrorEndpoint.Decide(new EnterReferralInError("Mauvaise personne", Worker, T0), state));
        Assert.Throws<BusinessRuleViolation>(() => EnterReferralInErrorEndpoint.Decide(new EnterReferralInError("x", Worker, T0), state));
    }

    [Fact]
    public void Overdue_is_raised_once_when_the_acknowledgement_deadline_passes()
    {
        var state = Given(Sent());

        Assert.Empty(DeadlineDecisions.Decide(new RaiseOverdue(T0.AddHours(1)), state));
        var raised = DeadlineDecisions.Decide(new RaiseOverdue(T0.AddHours(2)), state);
        var overdue = Assert.IsType<ReferralOverdue>(Assert.Single(raised));
        Assert.Equal(T0.AddHours(2), overdue.Deadline);
        Assert.Empty(DeadlineDecisions.Decide(new RaiseOverdue(T0.AddHours(5)), Then(state, raised)));
    }

    [Fact]
    public void An_acknowledged_referral_is_not_overdue_but_still_expires_if_never_answered()
    {
        var acknowledged = Given([.. Sent(), new ReferralAcknowledged(Id, Staff, T0.AddMinutes(10))]);

        Assert.Empty(DeadlineDecisions.Decide(new RaiseOverdue(T0.AddHours(5)), acknowledged));
        Assert.Empty(DeadlineDecisions.Decide(new ExpireReferral(T0.AddDays(2)), acknowledged));
        Assert.IsType<ReferralExpired>(Assert.Single(DeadlineDecisions.Decide(new ExpireReferral(T0.AddDays(3)), acknowledged)));
        var accepted = Given([.. Sent(), new ReferralAccepted(Id, Staff, T0)]);
        Assert.Empty(DeadlineDecisions.Decide(new ExpireReferral(T0.AddDays(30)), accepted));
    }

    [Fact]
    public void Messages_can_be_marked_read_only_if_they_exist()
    {
        var messageId = Guid.NewGuid();
        var state = Then(Given(Sent()), ReferralMessagesEndpoints.Decide(new PostMessage(messageId, "Pouvez-vous rappeler ?", Staff, T0), Given(Sent())));

        Assert.Single(ReferralMessagesEndpoints.Decide(new MarkMessagesRead(messageId, Worker, T0), state));
        Assert.Throws<BusinessRuleViolation>(() => ReferralMessagesEndpoints.Decide(new MarkMessagesRead(Guid.NewGuid(), Worker, T0), state));
    }
}
