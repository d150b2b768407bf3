using System.Net;
using Coordination.Referrals.Deadlines;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Coordination.Referrals.Api.Tests.Handoffs;

namespace Coordination.Referrals.Api.Tests;

public class HandoffTests(ReferralsFactory factory) : IClassFixture<ReferralsFactory>
{
    private readonly Handoffs people = new(factory);

    [Fact]
    public async Task An_urgent_handoff_goes_round_the_closed_loop_and_the_sender_sees_every_step()
    {
        var (id, etag) = await people.Send();

        var inbox = await (await people.Staff().GetAsync($"{Route}/inbox")).ReadJsonElement();
        var item = inbox.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == id);
        Assert.Equal("sent", item.GetProperty("status").GetString());
        Assert.Equal("immediate", item.GetProperty("urgency").GetString());
        Assert.Equal("Nadia", item.GetProperty("firstName").GetString());

        etag = await Act(people.Staff(), id, "acknowledgement", etag);
        etag = await Act(people.Staff(), id, "acceptance", etag);
        Assert.Equal("accepted", (await Get(people.Worker(), id)).GetProperty("status").GetString());
        etag = await Act(people.Staff(), id, "first-contact", etag);
        await Act(people.Staff(), id, "completion", etag, new { outcome = "helped", note = "Hébergée au CHRS, plainte suivie." });

        var seenBySender = await Get(people.Worker(), id);
        Assert.Equal("completed", seenBySender.GetProperty("status").GetString());
        Assert.Equal("helped", seenBySender.GetProperty("outcome").GetString());
        var history = await (await people.Worker().GetAsync($"{Route}/{id}/history")).ReadJsonElement();
        Assert.Equal(
            ["referral-drafted", "consent-recorded", "referral-sent", "referral-acknowledged", "referral-accepted", "first-contact-recorded", "referral-completed"],
            history.EnumerateArray().Select(h => h.GetProperty("event").GetString()));
        var sent = await (await people.Worker().GetAsync($"{Route}/sent?status=completed")).ReadJsonElement();
        Assert.Contains(sent.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == id);
    }

    [Fact]
    public async Task Another_organisation_gets_404_for_reads_and_commands_never_the_data()
    {
        var (id, etag) = await people.Send();

        Assert.Equal(HttpStatusCode.NotFound, (await people.Outsider().GetAsync($"{Route}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await people.Outsider().GetAsync($"{Route}/{id}/history")).StatusCode);
        await Act(people.Outsider(), id, "acceptance", etag, expected: HttpStatusCode.NotFound);
        await Act(people.Outsider(), id, "acceptance", "\"99\"", expected: HttpStatusCode.NotFound);
        var outsiderInbox = await (await people.Outsider().GetAsync($"{Route}/inbox")).ReadJsonElement();
        Assert.DoesNotContain(outsiderInbox.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == id);

        var support = await Get(factory.CreateClient().As(TestTokens.For(Roles.Admin)), id);
        Assert.Equal("support", support.GetProperty("viewer").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, support.GetProperty("person").GetProperty("firstName").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound,
            (await factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator)).GetAsync($"{Route}/{id}")).StatusCode);
    }

    [Fact]
    public async Task Two_staff_accepting_at_once_exactly_one_wins_the_other_gets_412()
    {
        var (id, etag) = await people.Send();

        var first = people.Staff().SendJson(HttpMethod.Post, $"{Route}/{id}/acceptance", new { }, etag);
        var second = people.OtherStaff().SendJson(HttpMethod.Post, $"{Route}/{id}/acceptance", new { }, etag);
        var statuses = (await Task.WhenAll(first, second)).Select(r => r.StatusCode).Order().ToList();

        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.PreconditionFailed], statuses);
        var history = await (await people.Staff().GetAsync($"{Route}/{id}/history")).ReadJsonElement();
        Assert.Single(history.EnumerateArray(), h => h.GetProperty("event").GetString() == "referral-accepted");
    }

    [Fact]
    public async Task Without_consent_nothing_is_sent_and_nothing_is_stored()
    {
        var response = await people.Worker().SendJson(HttpMethod.Post, Route, Request(ReferralsFactory.Chrs, withConsent: false));

        await response.HasStatus(HttpStatusCode.BadRequest);
        var errors = (await response.ReadJsonElement()).GetProperty("errors");
        Assert.Contains("consentement", errors.GetProperty("consent")[0].GetString());
        var chrsInbox = await (await people.ChrsStaff().GetAsync($"{Route}/inbox")).ReadJsonElement();
        Assert.Equal(0, chrsInbox.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_consent_override_needs_an_allowed_role_and_a_justification_and_is_flagged()
    {
        var justification = new { justification = "Danger immédiat : la personne est en état de choc et ne peut consentir." };
        var byStaff = await people.Staff().SendJson(HttpMethod.Post, Route,
            Request(ReferralsFactory.Chrs, withConsent: false, consentOverride: justification));
        var tooShort = await people.Worker().SendJson(HttpMethod.Post, Route,
            Request(ReferralsFactory.Chrs, withConsent: false, consentOverride: new { justification = "urgent" }));
        var byWorker = await people.Worker().SendJson(HttpMethod.Post, Route,
            Request(ReferralsFactory.Chrs, withConsent: false, consentOverride: justification));

        await byStaff.HasStatus(HttpStatusCode.BadRequest);
        await tooShort.HasStatus(HttpStatusCode.BadRequest);
        await byWorker.HasStatus(HttpStatusCode.Created);
        var id = (await byWorker.ReadJsonElement()).GetProperty("id").GetGuid();
        Assert.True((await Get(people.ChrsStaff(), id)).GetProperty("consentOverridden").GetBoolean());
        var inbox = await (await people.ChrsStaff().GetAsync($"{Route}/inbox")).ReadJsonElement();
        Assert.True(inbox.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == id)
            .GetProperty("consentOverridden").GetBoolean());
    }

    [Fact]
    public async Task An_illegal_transition_is_409_explained_in_french()
    {
        var (id, etag) = await people.Send();

        var response = await people.Staff().SendJson(HttpMethod.Post, $"{Route}/{id}/first-contact", new { }, etag);

        await response.HasStatus(HttpStatusCode.Conflict);
        Assert.Contains("l'orientation est envoyée", (await response.ReadJsonElement()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_decline_needs_reasons_and_a_message_and_hides_the_person_from_the_receiver()
    {
        var (id, etag) = await people.Send();

        var incomplete = await people.Staff().SendJson(HttpMethod.Post, $"{Route}/{id}/decline", new { reasons = Array.Empty<string>() }, etag);
        await incomplete.HasStatus(HttpStatusCode.BadRequest);
        var errors = (await incomplete.ReadJsonElement()).GetProperty("errors");
        Assert.Equal(["declinedBy", "message", "reasons"], errors.EnumerateObject().Select(e => e.Name).Order());

        await Act(people.Staff(), id, "decline", etag,
            new { reasons = new[] { "noCapacity" }, message = "Plus de place avant janvier, voir le CHRS.", declinedBy = "organisation" });

        var receiver = await Get(people.Staff(), id);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, receiver.GetProperty("person").GetProperty("firstName").ValueKind);
        var sender = await Get(people.Worker(), id);
        Assert.Equal("Nadia", sender.GetProperty("person").GetProperty("firstName").GetString());
        Assert.Equal("noCapacity", sender.GetProperty("decline").GetProperty("reasons")[0].GetString());
        Assert.Equal("Plus de place avant janvier, voir le CHRS.", sender.GetProperty("decline").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_redirection_creates_a_linked_referral_to_the_new_receiver()
    {
        var (id, etag) = await people.Send();

        var response = await (await people.Staff().SendJson(HttpMethod.Post, $"{Route}/{id}/redirection",
            new { newReceiverOrganisationId = ReferralsFactory.Chrs, message = "Le CHRS peut héberger ce soir." }, etag)).HasStatus(HttpStatusCode.Created);
        var newId = (await response.ReadJsonElement()).GetProperty("newReferralId").GetGuid();

        Assert.Equal("redirected", (await Get(people.Worker(), id)).GetProperty("status").GetString());
        var forwarded = await Get(people.ChrsStaff(), newId);
        Assert.Equal("sent", forwarded.GetProperty("status").GetString());
        Assert.Equal(id, forwarded.GetProperty("redirectedFrom").GetGuid());
        Assert.Equal(ReferralsFactory.Association, forwarded.GetProperty("senderOrganisationId").GetGuid());
        Assert.Equal("Nadia", forwarded.GetProperty("person").GetProperty("firstName").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null,
            (await Get(people.Staff(), id)).GetProperty("person").GetProperty("firstName").ValueKind);
    }

    [Fact]
    public async Task Sending_to_an_organisation_closed_to_referrals_is_409_and_to_an_unknown_one_400()
    {
        var closed = await people.Worker().SendJson(HttpMethod.Post, Route, Request(ReferralsFactory.ClosedPartner));
        var unknown = await people.Worker().SendJson(HttpMethod.Post, Route, Request(Guid.NewGuid()));

        await closed.HasStatus(HttpStatusCode.Conflict);
        Assert.Contains("n'accepte pas", (await closed.ReadJsonElement()).GetProperty("detail").GetString());
        await unknown.HasStatus(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Messages_between_the_two_parties_with_read_markers()
    {
        var (id, etag) = await people.Send();
        etag = await Act(people.Staff(), id, "messages", etag, new { text = "Pouvez-vous confirmer le numéro de la personne ?" });

        var sender = await Get(people.Worker(), id);
        Assert.Equal(1, sender.GetProperty("unreadMessages").GetInt32());
        var message = sender.GetProperty("messages")[0];
        Assert.False(message.GetProperty("fromMyOrganisation").GetBoolean());
        await Act(people.Worker(), id, "messages/read", etag, new { upToMessageId = message.GetProperty("id").GetGuid() });

        Assert.Equal(0, (await Get(people.Worker(), id)).GetProperty("unreadMessages").GetInt32());
        Assert.True((await Get(people.Staff(), id)).GetProperty("messages")[0].GetProperty("readByOtherParty").GetBoolean());
    }

    [Fact]
    public async Task Every_read_is_audited_with_who_and_where_and_never_the_data()
    {
        var (id, _) = await people.Send();
        await Get(people.Staff(), id);
        await people.Worker().GetAsync($"{Route}/{id}/history");
        await Get(factory.CreateClient().As(TestTokens.For(Roles.Admin, userId: "support-1")), id);

        var response = await (await factory.CreateClient().As(TestTokens.For(Roles.Admin)).GetAsync($"{Route}/{id}/audit")).HasStatus(HttpStatusCode.OK);
        var audit = (await response.ReadJsonElement()).EnumerateArray().ToList();

        Assert.Contains(audit, a => a.GetProperty("action").GetString() == "read:details" && a.GetProperty("userId").GetString() == "aav-bobigny"
                                   && a.GetProperty("organisationId").GetGuid() == ReferralsFactory.Association);
        Assert.Contains(audit, a => a.GetProperty("action").GetString() == "read:history" && a.GetProperty("userId").GetString() == "iscg-bobigny");
        Assert.Contains(audit, a => a.GetProperty("action").GetString() == "read:details" && a.GetProperty("userId").GetString() == "support-1");
        Assert.Contains(audit, a => a.GetProperty("action").GetString() == "write:referral_sent" && a.GetProperty("userId").GetString() == "iscg-bobigny");
        Assert.DoesNotContain("Nadia", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await people.Worker().GetAsync($"{Route}/{id}/audit")).StatusCode);
        var manager = factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, ReferralsFactory.Association, "aav-direction", manager: true));
        await (await manager.GetAsync($"{Route}/{id}/audit")).HasStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Coordinators_do_not_hand_people_off()
    {
        var response = await factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator))
            .SendJson(HttpMethod.Post, Route, Request(ReferralsFactory.Association));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
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
        var (id, _) = await people.Send(ReferralsFactory.Chrs, urgency: "immediate");
        Assert.Equal(0, await WatcherPass());

        factory.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await WatcherPass());
        Assert.Equal(0, await WatcherPass());

        var seen = await Get(people.ChrsStaff(), id);
        Assert.True(seen.GetProperty("overdue").GetBoolean());
        var overdueInbox = await (await people.ChrsStaff().GetAsync($"{Route}/inbox?overdue=true")).ReadJsonElement();
        Assert.Contains(overdueInbox.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == id);

        factory.Clock.Advance(TimeSpan.FromDays(3));
        Assert.True(await WatcherPass() >= 1);
        Assert.Equal("expired", (await Get(people.Worker(), id)).GetProperty("status").GetString());
        var history = await (await people.Worker().GetAsync($"{Route}/{id}/history")).ReadJsonElement();
        Assert.Single(history.EnumerateArray(), h => h.GetProperty("event").GetString() == "referral-overdue");
    }
}
