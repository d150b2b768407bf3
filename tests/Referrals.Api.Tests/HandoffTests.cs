using System.Net;
using Coordination.Referrals.Auditing;
using Coordination.Referrals.Deadlines;
using Coordination.Referrals.Drafting;
using Coordination.Referrals.GettingDetails;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Coordination.Referrals.Api.Tests.Handoffs;
using static Coordination.Testing.Specification;

namespace Coordination.Referrals.Api.Tests;

public class HandoffTests(ReferralsFactory factory) : IClassFixture<ReferralsFactory>
{
    private readonly Handoffs people = new(factory);

    [Fact]
    public async Task An_urgent_handoff_goes_round_the_closed_loop_and_the_sender_sees_every_step()
    {
        var (id, etag) = await Given(() => people.Send());

        var item = (await Inbox(people.Staff())).Items.Single(i => i.Id == id);
        Assert.Equal((ReferralStatus.Sent, Urgency.Immediate, "Nadia"), (item.Status, item.Urgency, item.FirstName));
        Assert.Equal((await Get(people.Staff(), id)).AllowedActions!, item.AllowedActions);

        etag = await Act(people.Staff(), id, "acknowledgement", etag);
        etag = await Act(people.Staff(), id, "acceptance", etag);
        Assert.Equal(ReferralStatus.Accepted, (await Get(people.Worker(), id)).Status);
        etag = await Act(people.Staff(), id, "first-contact", etag);
        await Act(people.Staff(), id, "completion", etag, new { outcome = "helped", note = "Hébergée au CHRS, plainte suivie." });

        var seenBySender = await Get(people.Worker(), id);
        Assert.Equal((ReferralStatus.Completed, (Outcome?)Outcome.Helped, "Hébergée au CHRS, plainte suivie."),
            (seenBySender.Status, seenBySender.Outcome, seenBySender.OutcomeNote));
        Assert.Equal(
            ["referral-drafted", "consent-recorded", "referral-sent", "referral-acknowledged", "referral-accepted", "first-contact-recorded", "referral-completed"],
            (await History(people.Worker(), id)).Select(h => h.Event));
        Assert.Contains((await Sent(people.Worker(), "?status=completed")).Items, i => i.Id == id);
    }

    [Fact]
    public async Task Statuses_are_spelt_as_the_contracts_spell_them()
    {
        var (id, etag) = await Given(() => people.Send());
        await Act(people.Staff(), id, "hold", etag, new { reason = "En attente d'un justificatif." });

        var body = await (await When(() => people.Worker().GetAsync($"{Route}/{id}")).Then(HttpStatusCode.OK)).Response.Content.ReadAsStringAsync();

        Assert.Contains("\"status\":\"on-hold\"", body);
        Assert.Contains((await Sent(people.Worker(), "?status=on-hold")).Items, i => i.Id == id);
        var refused = await (await When(() => people.Worker().GetAsync($"{Route}/sent?status=onHold")).Then(HttpStatusCode.BadRequest)).Problem();
        Assert.Contains("Statut inconnu", refused.Errors!["status"][0]);
    }

    [Fact]
    public async Task Each_caller_is_offered_exactly_the_commands_the_domain_would_accept()
    {
        var (id, etag) = await Given(() => people.Send());

        Assert.Equal(["acknowledgement", "acceptance", "hold", "redirection", "decline", "messages"], (await Get(people.Staff(), id)).AllowedActions!);
        Assert.Equal(["withdrawal", "entered-in-error", "messages"], (await Get(people.Worker(), id)).AllowedActions!);
        Assert.Equal(["erasure"], (await Get(people.Admin(), id)).AllowedActions!);
        Assert.Contains("erasure", (await Get(factory.CreateClient().As(
            TestTokens.For(Roles.IscgWorker, ReferralsFactory.IscgPost, "iscg-direction", manager: true)), id)).AllowedActions!);

        etag = await Act(people.Staff(), id, "acceptance", etag);
        Assert.Equal(["first-contact", "completion", "redirection", "decline", "messages"], (await Get(people.Staff(), id)).AllowedActions!);
        await Act(people.Staff(), id, "decline", etag, new { reasons = new[] { "noCapacity" }, message = "Complet.", declinedBy = "organisation" });
        Assert.Equal(["entered-in-error", "resending"], (await Get(people.Worker(), id)).AllowedActions!);
        Assert.Empty((await Get(people.Staff(), id)).AllowedActions!);
    }

    [Fact]
    public async Task Another_organisation_gets_404_for_reads_and_commands_never_the_data()
    {
        var (id, etag) = await Given(() => people.Send());

        await When(() => people.Outsider().GetAsync($"{Route}/{id}")).Then(HttpStatusCode.NotFound);
        await When(() => people.Outsider().GetAsync($"{Route}/{id}/history")).Then(HttpStatusCode.NotFound);
        await When(() => people.Outsider().GetAsync($"{Route}/{id}/chain")).Then(HttpStatusCode.NotFound);
        await Act(people.Outsider(), id, "acceptance", etag, expected: HttpStatusCode.NotFound);
        await Act(people.Outsider(), id, "acceptance", "\"99\"", expected: HttpStatusCode.NotFound);
        Assert.DoesNotContain((await Inbox(people.Outsider())).Items, i => i.Id == id);

        var support = await Get(people.Admin(), id);
        Assert.Equal(Viewer.Support, support.Viewer);
        Assert.Null(support.Person.FirstName);
        Assert.Null(support.Messages);
        await When(() => factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator)).GetAsync($"{Route}/{id}")).Then(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Two_staff_accepting_at_once_exactly_one_wins_the_other_gets_412()
    {
        var (id, etag) = await Given(() => people.Send());

        var first = people.Staff().SendJson(HttpMethod.Post, $"{Route}/{id}/acceptance", new { }, etag);
        var second = people.OtherStaff().SendJson(HttpMethod.Post, $"{Route}/{id}/acceptance", new { }, etag);
        var statuses = (await Task.WhenAll(first, second)).Select(r => r.StatusCode).Order().ToList();

        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.PreconditionFailed], statuses);
        Assert.Single(await History(people.Staff(), id), h => h.Event == "referral-accepted");
    }

    [Fact]
    public async Task Without_consent_nothing_is_sent_and_nothing_is_stored()
    {
        var refused = await When(() => people.Worker().SendJson(HttpMethod.Post, Route, Request(ReferralsFactory.Chrs, withConsent: false)))
            .Then(HttpStatusCode.BadRequest);

        Assert.Contains("consentement", (await refused.Problem()).Errors!["consent"][0]);
        Assert.Equal(0, (await Inbox(people.ChrsStaff())).Total);
    }

    [Fact]
    public async Task A_consent_override_needs_an_allowed_role_and_a_justification_and_is_flagged()
    {
        var justification = new { justification = "Danger immédiat : la personne est en état de choc et ne peut consentir." };
        await When(() => people.Staff().SendJson(HttpMethod.Post, Route, Request(ReferralsFactory.Chrs, withConsent: false, consentOverride: justification)))
            .Then(HttpStatusCode.BadRequest);
        await When(() => people.Worker().SendJson(HttpMethod.Post, Route,
            Request(ReferralsFactory.Chrs, withConsent: false, consentOverride: new { justification = "urgent" }))).Then(HttpStatusCode.BadRequest);

        var created = await When(() => people.Worker().SendJson(HttpMethod.Post, Route,
                Request(ReferralsFactory.Chrs, withConsent: false, consentOverride: justification)))
            .Then<ReferralCreated>(HttpStatusCode.Created, c => Assert.Equal(ReferralStatus.Sent, c.Status));

        var seenByReceiver = await Get(people.ChrsStaff(), created.Id);
        Assert.True(seenByReceiver.ConsentOverridden);
        Assert.Null(seenByReceiver.ConsentOverrideJustification);
        Assert.Equal(justification.justification, (await Get(people.Worker(), created.Id)).ConsentOverrideJustification);
        Assert.True((await Inbox(people.ChrsStaff())).Items.Single(i => i.Id == created.Id).ConsentOverridden);
    }

    [Fact]
    public async Task An_illegal_transition_is_409_explained_in_french()
    {
        var (id, etag) = await Given(() => people.Send());

        var refused = await When(() => people.Staff().SendJson(HttpMethod.Post, $"{Route}/{id}/first-contact", new { }, etag)).Then(HttpStatusCode.Conflict);

        Assert.Contains("l'orientation est envoyée", (await refused.Problem()).Detail);
    }

    [Fact]
    public async Task A_decline_needs_reasons_and_a_message_and_hides_the_person_from_the_receiver()
    {
        var (id, etag) = await Given(() => people.Send());

        var incomplete = await When(() => people.Staff().SendJson(HttpMethod.Post, $"{Route}/{id}/decline", new { reasons = Array.Empty<string>() }, etag))
            .Then(HttpStatusCode.BadRequest);
        Assert.Equal(["declinedBy", "message", "reasons"], (await incomplete.Problem()).Errors!.Keys.Order());

        await Act(people.Staff(), id, "decline", etag,
            new { reasons = new[] { "noCapacity" }, message = "Plus de place avant janvier, voir le CHRS.", declinedBy = "organisation" });

        var receiver = await Get(people.Staff(), id);
        Assert.Null(receiver.Person.FirstName);
        Assert.Null(receiver.Person.Contact);
        var sender = await Get(people.Worker(), id);
        Assert.Equal("Nadia", sender.Person.FirstName);
        Assert.Equal([DeclineReason.NoCapacity], sender.Decline!.Reasons);
        Assert.Equal("Plus de place avant janvier, voir le CHRS.", sender.Decline.Message);
    }

    [Fact]
    public async Task A_redirection_creates_a_linked_referral_the_collector_still_owns()
    {
        var (id, etag) = await Given(() => people.Send());
        factory.Clock.Advance(TimeSpan.FromMinutes(1));

        var newId = await Forward(people.Staff(), id, "redirection", etag,
            new { newReceiverOrganisationId = ReferralsFactory.Chrs, message = "Le CHRS peut héberger ce soir." });

        var original = await Get(people.Worker(), id);
        Assert.Equal((ReferralStatus.Redirected, (Guid?)newId), (original.Status, original.RedirectedTo));
        var forwarded = await Get(people.ChrsStaff(), newId);
        Assert.Equal((ReferralStatus.Sent, (Guid?)id, ReferralsFactory.Association, ReferralsFactory.IscgPost),
            (forwarded.Status, forwarded.RedirectedFrom, forwarded.SenderOrganisationId, forwarded.CollectorOrganisationId));
        Assert.Equal("Nadia", forwarded.Person.FirstName); // the person agreed to share their identity with any receiver of the hand-off
        Assert.Null((await Get(people.Staff(), id)).Person.FirstName);
        Assert.Null((await Get(people.Staff(), newId)).Person.FirstName); // the redirector sees the new hop as it saw the old one once it ended
        var followed = await Get(people.Worker(), newId);
        Assert.Equal((Viewer.Collector, "Nadia"), (followed.Viewer, followed.Person.FirstName));
    }

    [Fact]
    public async Task Sending_to_an_organisation_closed_to_referrals_is_409_and_to_an_unknown_one_400()
    {
        var closed = await When(() => people.Worker().SendJson(HttpMethod.Post, Route, Request(ReferralsFactory.ClosedPartner))).Then(HttpStatusCode.Conflict);
        await When(() => people.Worker().SendJson(HttpMethod.Post, Route, Request(Guid.NewGuid()))).Then(HttpStatusCode.BadRequest);

        Assert.Contains("n'accepte pas", (await closed.Problem()).Detail);
    }

    [Fact]
    public async Task Messages_between_the_two_parties_with_read_markers()
    {
        var (id, etag) = await Given(() => people.Send());
        etag = await Act(people.Staff(), id, "messages", etag, new { text = "Pouvez-vous confirmer le numéro de la personne ?" });

        var sender = await Get(people.Worker(), id);
        Assert.Equal(1, sender.UnreadMessages);
        var message = sender.Messages![0];
        Assert.Equal(("Pouvez-vous confirmer le numéro de la personne ?", false), (message.Text, message.FromMyOrganisation));
        Assert.Contains("messages/read", sender.AllowedActions!);
        await Act(people.Worker(), id, "messages/read", etag, new { upToMessageId = message.Id });

        Assert.Equal(0, (await Get(people.Worker(), id)).UnreadMessages);
        Assert.True((await Get(people.Staff(), id)).Messages![0].ReadByOtherParty);
    }

    [Fact]
    public async Task Every_read_is_audited_with_who_and_where_and_never_the_data()
    {
        var (id, _) = await Given(() => people.Send());
        await Get(people.Staff(), id);
        await History(people.Worker(), id);
        await Get(people.Admin("support-1"), id);
        await Inbox(people.Staff());

        var answer = await When(() => people.Admin().GetAsync($"{Route}/{id}/audit")).Then(HttpStatusCode.OK);
        var audit = await answer.Body<List<AuditEntry>>();

        Assert.Contains(audit, a => a is { Action: "read:details", UserId: "aav-bobigny" } && a.OrganisationId == ReferralsFactory.Association);
        Assert.Contains(audit, a => a is { Action: "read:history", UserId: "iscg-bobigny" });
        Assert.Contains(audit, a => a is { Action: "read:details", UserId: "support-1" });
        Assert.Contains(audit, a => a is { Action: "list:inbox", UserId: "aav-bobigny" } && a.OrganisationId == ReferralsFactory.Association);
        Assert.Contains(audit, a => a is { Action: "write:referral_sent", UserId: "iscg-bobigny" });
        Assert.DoesNotContain("Nadia", await answer.Response.Content.ReadAsStringAsync());
        await When(() => people.Worker().GetAsync($"{Route}/{id}/audit")).Then(HttpStatusCode.Forbidden);
        await When(() => people.Manager(ReferralsFactory.Association, "aav-direction").GetAsync($"{Route}/{id}/audit")).Then(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Coordinators_do_not_hand_people_off()
    {
        await When(() => factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator))
            .SendJson(HttpMethod.Post, Route, Request(ReferralsFactory.Association))).Then(HttpStatusCode.Forbidden);
    }
}

/// <summary>Deadlines move with the test clock; its own fixture so that moving time does not disturb the other tests.</summary>
public class DeadlineTests(ReferralsFactory factory) : IClassFixture<ReferralsFactory>
{
    private readonly Handoffs people = new(factory);

    private Task<int> WatcherPass() => factory.Services.GetRequiredService<DeadlineWatcher>().CheckOnceAsync(CancellationToken.None);

    [Fact]
    public async Task An_unacknowledged_urgent_referral_is_flagged_overdue_once_then_expires()
    {
        var (id, _) = await Given(() => people.Send(ReferralsFactory.Chrs, urgency: "immediate"));
        Assert.Equal(0, await WatcherPass());

        factory.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await WatcherPass());
        Assert.Equal(0, await WatcherPass());

        Assert.True((await Get(people.ChrsStaff(), id)).Overdue);
        Assert.Contains((await Inbox(people.ChrsStaff(), "?overdue=true")).Items, i => i.Id == id);
        // The sender's list has the same filter: the staff dashboard's "overdue now" (still sent, past the deadline) opens it.
        Assert.Contains((await Sent(people.Worker(), "?status=sent&overdue=true")).Items, i => i.Id == id);
        Assert.DoesNotContain((await Sent(people.Worker(), "?status=sent&overdue=false")).Items, i => i.Id == id);
        Assert.DoesNotContain((await Inbox(people.ChrsStaff(), "?status=sent&overdue=false")).Items, i => i.Id == id);

        factory.Clock.Advance(TimeSpan.FromDays(3));
        Assert.True(await WatcherPass() >= 1);
        var expired = await Get(people.Worker(), id);
        Assert.Equal(ReferralStatus.Expired, expired.Status);
        Assert.Contains("resending", expired.AllowedActions!);
        Assert.Single(await History(people.Worker(), id), h => h.Event == "referral-overdue");
    }

    [Fact]
    public async Task Sent_on_the_eve_of_the_easter_weekend_the_standard_deadline_skips_the_holidays_of_its_departement()
    {
        // Thursday 25 March 2027, 10:00 in Paris. Good Friday is a holiday in the 67, not in the 93; Easter Monday in both.
        factory.Clock.Advance(new DateTimeOffset(2027, 3, 25, 9, 0, 0, TimeSpan.Zero) - factory.Clock.GetUtcNow());

        var (inSeineSaintDenis, _) = await people.Send(ReferralsFactory.Chrs, urgency: "standard", departement: "93");
        var (inBasRhin, _) = await people.Send(ReferralsFactory.Chrs, urgency: "standard", departement: "67");

        // Five working days, at 10:00 Paris summer time: Friday 2 April in the 93, Monday 5 April in the 67.
        Assert.Equal(new DateTimeOffset(2027, 4, 2, 8, 0, 0, TimeSpan.Zero), (await Get(people.Worker(), inSeineSaintDenis)).AcknowledgeBy);
        Assert.Equal(new DateTimeOffset(2027, 4, 5, 8, 0, 0, TimeSpan.Zero), (await Get(people.Worker(), inBasRhin)).AcknowledgeBy);
    }
}
