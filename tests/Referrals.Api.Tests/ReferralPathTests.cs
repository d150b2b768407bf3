using System.Net;
using Coordination.Referrals.GettingDetails;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Xunit;
using static Coordination.Referrals.Api.Tests.Handoffs;
using static Coordination.Testing.Specification;

namespace Coordination.Referrals.Api.Tests;

/// <summary>Wherever the person goes, the collector can follow, and no one else learns more than consent allows.</summary>
public class ReferralPathTests(ReferralsFactory factory) : IClassFixture<ReferralsFactory>
{
    private readonly Handoffs people = new(factory);
    private static readonly object NeedsOnly = new { method = "oral", scope = new { identity = false, situation = false, needs = true } };

    private HttpClient ThirdStaff() => people.Outsider();

    [Fact]
    public async Task A_restricted_scope_redirected_twice_never_shows_the_person_to_a_receiver_or_a_redirector_and_the_collector_follows_every_hop()
    {
        var (first, etag) = await Given(() => people.Send(ReferralsFactory.Association, "standard", NeedsOnly));
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await Forward(people.Staff(), first, "redirection", etag,
            new { newReceiverOrganisationId = ReferralsFactory.Chrs, message = "Le CHRS a une place." });
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var third = await Forward(people.ChrsStaff(), second, "redirection", await ETagOf(people.ChrsStaff(), second),
            new { newReceiverOrganisationId = ReferralsFactory.ThirdOrganisation, message = "Mieux placé pour l'accompagnement." });
        var etag3 = await Act(ThirdStaff(), third, "acceptance", await ETagOf(ThirdStaff(), third));
        etag3 = await Act(ThirdStaff(), third, "first-contact", etag3);
        await Act(ThirdStaff(), third, "completion", etag3, new { outcome = "helped" });

        // Everything a receiver or a redirector can read about the person, as raw bodies: neither name nor phone.
        (HttpClient Client, Guid Hop)[] others =
        [
            (people.Staff(), first), (people.Staff(), second), (people.ChrsStaff(), second), (people.ChrsStaff(), third), (ThirdStaff(), third),
        ];
        foreach (var (client, hop) in others)
        {
            foreach (var url in new[] { $"{Route}/{hop}", $"{Route}/{hop}/chain", $"{Route}/{hop}/history" })
                AssertNothingPersonal(await (await When(() => client.GetAsync(url)).Then(HttpStatusCode.OK)).Response.Content.ReadAsStringAsync());
            var view = await Get(client, hop);
            Assert.Null(view.Situation);
            Assert.Null(view.Note);
            Assert.Equal(new SharingScope(false, false, true), view.ConsentScope);
        }
        foreach (var client in new[] { people.Staff(), people.ChrsStaff(), ThirdStaff() })
            foreach (var list in new[] { "inbox?status=sent,acknowledged,on-hold,accepted,in-progress,completed,redirected", "sent?status=sent,completed,redirected" })
                AssertNothingPersonal(await (await When(() => client.GetAsync($"{Route}/{list}")).Then(HttpStatusCode.OK)).Response.Content.ReadAsStringAsync());

        // The collector: the person on every hop, and the whole path with each receiver's answer and the final outcome.
        var chain = await Chain(people.Worker(), first);
        Assert.Equal([first, second, third], chain.Select(h => h.Id));
        Assert.Equal([ReferralsFactory.Association, ReferralsFactory.Chrs, ReferralsFactory.ThirdOrganisation], chain.Select(h => h.ReceiverOrganisationId));
        Assert.Equal([ReferralStatus.Redirected, ReferralStatus.Redirected, ReferralStatus.Completed], chain.Select(h => h.Status));
        Assert.Equal(["Le CHRS a une place.", "Mieux placé pour l'accompagnement.", null], chain.Select(h => h.StatusReason));
        Assert.Equal(Outcome.Helped, chain[^1].Outcome);
        var lastHop = await Get(people.Worker(), third);
        Assert.Equal((Viewer.Collector, "Nadia", "06 12 34 56 78"), (lastHop.Viewer, lastHop.Person.FirstName, lastHop.Person.Contact?.Value));
        Assert.Equal(chain.Select(h => h.Id), (await Get(people.Worker(), first)).Chain!.Select(h => h.Id));
        // A redirector sees only the hops it took part in, without their texts.
        Assert.Equal([first, second], (await Chain(people.Staff(), second)).Select(h => h.Id));
        Assert.All(await Chain(people.Staff(), second), hop => Assert.Null(hop.StatusReason));
    }

    [Fact]
    public async Task Erasure_stays_with_the_collectors_manager_whatever_the_hop()
    {
        var (first, etag) = await Given(() => people.Send(ReferralsFactory.Association, "standard", NeedsOnly));
        var second = await Forward(people.Staff(), first, "redirection", etag,
            new { newReceiverOrganisationId = ReferralsFactory.Chrs, message = "Le CHRS a une place." });
        var body = new { ground = "personRequest", justification = "Demande écrite de la personne reçue ce jour." };
        var secondETag = await ETagOf(people.ChrsStaff(), second);

        var refused = await When(() => people.Manager(ReferralsFactory.Association, "aav-direction")
            .SendJson(HttpMethod.Post, $"{Route}/{second}/erasure", body, secondETag)).Then(HttpStatusCode.Forbidden);
        Assert.Contains("orienté la personne", (await refused.Problem()).Detail);
        Assert.DoesNotContain("erasure", (await Get(people.Manager(ReferralsFactory.Association, "aav-direction"), second)).AllowedActions!);
        await When(() => people.Manager(ReferralsFactory.Chrs, "chrs-direction")
            .SendJson(HttpMethod.Post, $"{Route}/{second}/erasure", body, secondETag)).Then(HttpStatusCode.Forbidden);

        var collectorManager = factory.CreateClient().As(TestTokens.For(Roles.IscgWorker, ReferralsFactory.IscgPost, "iscg-direction", manager: true));
        Assert.Contains("erasure", (await Get(collectorManager, second)).AllowedActions!);
        await Act(collectorManager, second, "erasure", await ETagOf(people.ChrsStaff(), second), body);
        Assert.Equal(Privacy.PersonalData.Erased, (await Get(people.Worker(), first)).Person.FirstName);
    }

    [Fact]
    public async Task After_a_decline_the_collector_resends_in_one_step_asking_consent_again_unless_it_covered_any_receiver()
    {
        var (declined, etag) = await Given(() => people.Send(ReferralsFactory.Association, "standard"));
        etag = await Act(people.Staff(), declined, "decline", etag,
            new { reasons = new[] { "outsideRemit" }, message = "Hors de nos missions.", declinedBy = "organisation" });

        var needsConsent = await When(() => people.Worker().SendJson(HttpMethod.Post, $"{Route}/{declined}/resending",
            new { receiverOrganisationId = ReferralsFactory.Chrs }, etag)).Then(HttpStatusCode.BadRequest);
        Assert.Contains("consentement", (await needsConsent.Problem()).Errors!["consent"][0]);
        var toDecliner = await When(() => people.Worker().SendJson(HttpMethod.Post, $"{Route}/{declined}/resending",
            new { receiverOrganisationId = ReferralsFactory.Association, consent = NeedsOnly }, etag)).Then(HttpStatusCode.Conflict);
        Assert.Contains("refusé", (await toDecliner.Problem()).Detail);
        await When(() => people.Staff().SendJson(HttpMethod.Post, $"{Route}/{declined}/resending",
            new { receiverOrganisationId = ReferralsFactory.Chrs, consent = NeedsOnly }, etag)).Then(HttpStatusCode.Forbidden);

        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var resent = await Forward(people.Worker(), declined, "resending", etag, new { receiverOrganisationId = ReferralsFactory.Chrs, consent = NeedsOnly });

        var original = await Get(people.Worker(), declined);
        Assert.Equal((ReferralStatus.Declined, (Guid?)resent), (original.Status, original.ResentTo));
        Assert.DoesNotContain("resending", original.AllowedActions!);
        var newOne = await Get(people.ChrsStaff(), resent);
        Assert.Equal((ReferralStatus.Sent, ReferralsFactory.IscgPost, new SharingScope(false, false, true)),
            (newOne.Status, newOne.SenderOrganisationId, newOne.ConsentScope));
        Assert.Null(newOne.Person.FirstName);
        Assert.Equal(original.Person.PseudonymousReference, (await Get(people.Worker(), resent)).Person.PseudonymousReference);
        Assert.Equal([declined, resent], (await Chain(people.Worker(), resent)).Select(h => h.Id));

        // Consent given for any receiver: re-sent without asking again, with the same scope.
        var anyReceiver = new { method = "written", scope = new { identity = true, situation = true, needs = true }, anyReceiver = true };
        var (second, etag2) = await people.Send(ReferralsFactory.Association, "standard", anyReceiver);
        etag2 = await Act(people.Staff(), second, "decline", etag2,
            new { reasons = new[] { "noCapacity" }, message = "Complet.", declinedBy = "organisation" });
        var resentAgain = await Forward(people.Worker(), second, "resending", etag2, new { receiverOrganisationId = ReferralsFactory.Chrs });
        Assert.Equal("Nadia", (await Get(people.ChrsStaff(), resentAgain)).Person.FirstName);
    }

    private static void AssertNothingPersonal(string body)
    {
        Assert.DoesNotContain("Nadia", body);
        Assert.DoesNotContain("06 12 34 56 78", body);
        Assert.DoesNotContain("Plainte déposée", body);
    }
}

/// <summary>"Does not exist" and "not yours" must be indistinguishable on every route, commands included.</summary>
public class NotFoundTests(ReferralsFactory factory) : IClassFixture<ReferralsFactory>
{
    private readonly Handoffs people = new(factory);

    [Fact]
    public async Task Every_route_answers_a_missing_referral_and_another_organisations_referral_with_the_same_body()
    {
        var (theirs, etag) = await Given(() => people.Send());
        var missing = Guid.NewGuid();
        var outsiderManager = people.Manager(ReferralsFactory.ThirdOrganisation, "other-direction");
        (string Method, string Path, object? Body)[] routes =
        [
            ("GET", "", null), ("GET", "/history", null), ("GET", "/chain", null), ("GET", "/audit", null),
            ("POST", "/archive-access", new { reason = "Réquisition judiciaire n° 2027-0042 du parquet" }),
            ("POST", "/sending", new { }), ("POST", "/acknowledgement", new { }), ("POST", "/acceptance", new { }),
            ("POST", "/hold", new { reason = "Attente" }), ("POST", "/resumption", new { }),
            ("POST", "/decline", new { reasons = new[] { "noCapacity" }, message = "Complet", declinedBy = "organisation" }),
            ("POST", "/redirection", new { newReceiverOrganisationId = ReferralsFactory.Chrs, message = "Mieux placé" }),
            ("POST", "/resending", new { receiverOrganisationId = ReferralsFactory.Chrs }),
            ("POST", "/first-contact", new { }), ("POST", "/completion", new { outcome = "helped" }),
            ("POST", "/withdrawal", new { reason = "Erreur" }), ("POST", "/entered-in-error", new { reason = "Doublon" }),
            ("POST", "/messages", new { text = "Bonjour" }), ("POST", "/messages/read", new { upToMessageId = Guid.NewGuid() }),
            ("POST", "/erasure", new { ground = "personRequest", justification = "Demande écrite de la personne reçue ce jour." }),
        ];

        foreach (var (method, path, body) in routes)
        {
            async Task<Problem> Ask(Guid id)
            {
                var response = await outsiderManager.SendJson(new HttpMethod(method), $"{Route}/{id}{path}", body, method == "POST" ? etag : null);
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                return await response.ReadJson<Problem>();
            }
            var forMissing = await Ask(missing);
            var forTheirs = await Ask(theirs);
            Assert.Equal((forMissing.Status, forMissing.Title, forMissing.Detail), (forTheirs.Status, forTheirs.Title, forTheirs.Detail));
        }
    }
}

/// <summary>Lists have no ceiling: cursor paging, a total per status, search by reference, two sort orders.</summary>
public class ListPagingTests(ReferralsFactory factory) : IClassFixture<ReferralsFactory>
{
    private readonly Handoffs people = new(factory);

    [Fact]
    public async Task Pages_follow_each_other_without_gap_or_repeat_and_every_status_is_counted()
    {
        var sent = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            sent.Add((await people.Send(ReferralsFactory.Chrs, "standard")).Id);
            factory.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        await Act(people.ChrsStaff(), sent[0], "decline", await ETagOf(people.ChrsStaff(), sent[0]),
            new { reasons = new[] { "noCapacity" }, message = "Complet.", declinedBy = "organisation" });

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await Inbox(people.ChrsStaff(), "?pageSize=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            Assert.True(page.Items.Count <= 2);
            Assert.Equal(6, page.Total);
            seen.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
        } while (cursor is not null);
        Assert.Equal(sent.Skip(1), seen); // open ones, earliest deadline first: the order they were sent in

        var all = await Inbox(people.ChrsStaff(), "?pageSize=100&status=sent,declined&sort=lastChange");
        Assert.Equal(sent[0], all.Items[0].Id); // the decline is the last change
        Assert.Equal(7, all.Total);
        var totals = all.StatusTotals.ToDictionary(t => t.Status);
        Assert.Equal((6L, 1L, false, true), (totals[ReferralStatus.Sent].Total, totals[ReferralStatus.Declined].Total,
            totals[ReferralStatus.Sent].Ended, totals[ReferralStatus.Declined].Ended));
        Assert.DoesNotContain(ReferralStatus.Draft, totals.Keys);

        var reference = (await Get(people.Worker(), sent[3])).Person.PseudonymousReference;
        var found = await Inbox(people.ChrsStaff(), $"?reference={reference.ToLowerInvariant()}");
        Assert.Equal([sent[3]], found.Items.Select(i => i.Id));
        await When(() => people.ChrsStaff().GetAsync($"{Route}/inbox?pageSize=101")).Then(HttpStatusCode.BadRequest);
        await When(() => people.ChrsStaff().GetAsync($"{Route}/inbox?cursor=n0t-a-cursor")).Then(HttpStatusCode.BadRequest);
    }
}
