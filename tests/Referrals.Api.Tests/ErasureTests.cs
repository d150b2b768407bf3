using System.Net;
using Coordination.Referrals.Drafting;
using Coordination.Referrals.Privacy;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Xunit;
using static Coordination.Referrals.Api.Tests.DatabaseCopies;
using static Coordination.Referrals.Api.Tests.Handoffs;
using static Coordination.Testing.Specification;

namespace Coordination.Referrals.Api.Tests;

/// <summary>
/// Right to erasure by crypto-shredding, checked the way an attacker holding a backup would look: dump the whole
/// database (pg_dump, and every row of every table as text), unseal every envelope found with every key found,
/// and search the result for canary values planted in every personal field a referral can carry.
/// </summary>
public class ErasureTests(ReferralsFactory factory) : IClassFixture<ReferralsFactory>
{
    private readonly Handoffs people = new(factory);
    private static readonly string Run = Guid.NewGuid().ToString("N")[..8];

    private HttpClient SenderManager() =>
        factory.CreateClient().As(TestTokens.For(Roles.IscgWorker, ReferralsFactory.IscgPost, "iscg-direction", manager: true));

    private static string Canary(string field) => $"Canari{field}{Run}";

    private static readonly KeyEncryptionKey Kek = new(TestKeyEncryption.Id, Convert.FromBase64String(TestKeyEncryption.Key));

    private static object NewReferral(Guid receiver, string person, string phoneDigits, bool overrideConsent = false, string contactKind = "phone") => new
    {
        receiverOrganisationId = receiver,
        departement = "93",
        person = new
        {
            firstName = Canary("Prenom" + person),
            contact = new { kind = contactKind, value = contactKind == "phone" ? $"06 {phoneDigits[..2]} {phoneDigits[2..4]} {phoneDigits[4..6]} {phoneDigits[6..8]}" : $"{Canary("Mail" + person).ToLowerInvariant()}@exemple.fr" },
            ageBand = "from26To40",
            minorsInvolved = false,
        },
        situation = "intrafamilyViolence",
        needs = new[] { "coordination--aide-aux-victimes" },
        urgency = "standard",
        note = $"Note {Canary("Note" + person)} hébergement",
        consent = overrideConsent ? null : new { method = "oral", scope = new { identity = true, situation = true, needs = true } },
        consentOverride = overrideConsent ? new { justification = $"Danger immédiat {Canary("Derogation" + person)} cette nuit" } : null,
    };

    private async Task<(Guid Id, string ETag)> Create(object request)
    {
        var answer = await When(() => people.Worker().SendJson(HttpMethod.Post, Route, request)).Then(HttpStatusCode.Created);
        return ((await answer.Body<ReferralCreated>()).Id, answer.Response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task After_erasure_no_copy_of_the_database_gives_back_the_person_while_the_facts_remain()
    {
        // Person A: every text a hand-off can carry, over a redirection (two referrals, one person).
        var (a, etag) = await Create(NewReferral(ReferralsFactory.Association, "A", "11223344"));
        etag = await Act(people.Worker(), a, "messages", etag, new { text = $"Message {Canary("MessageA")}" });
        etag = await Act(people.Staff(), a, "hold", etag, new { reason = $"Attente {Canary("AttenteA")}" });
        etag = await Act(people.Staff(), a, "resumption", etag);
        var a2 = await Forward(people.Staff(), a, "redirection", etag,
            new { newReceiverOrganisationId = ReferralsFactory.Chrs, message = $"Réorientée {Canary("ReorientationA")}" });
        var etag2 = await ETagOf(people.ChrsStaff(), a2);
        etag2 = await Act(people.ChrsStaff(), a2, "acceptance", etag2);
        etag2 = await Act(people.ChrsStaff(), a2, "first-contact", etag2);
        await Act(people.ChrsStaff(), a2, "completion", etag2, new { outcome = "helped", note = $"Clôture {Canary("ClotureA")}" });
        // Person B: sent without consent (justification), an e-mail address, withdrawn with a reason.
        var (b, etagB) = await Create(NewReferral(ReferralsFactory.Association, "B", "55667788", overrideConsent: true, contactKind: "email"));
        await Act(people.Worker(), b, "withdrawal", etagB, new { reason = $"Retrait {Canary("RetraitB")}" });
        // Person C: declined with a message. Person D: entered in error with a reason.
        var (c, etagC) = await Create(NewReferral(ReferralsFactory.Association, "C", "99001122"));
        await Act(people.Staff(), c, "decline", etagC, new { reasons = new[] { "noCapacity" }, message = $"Refus {Canary("RefusC")}", declinedBy = "organisation" });
        var (d, etagD) = await Create(NewReferral(ReferralsFactory.Association, "D", "33445566"));
        await Act(people.Worker(), d, "entered-in-error", etagD, new { reason = $"Erreur {Canary("ErreurD")}" });
        // Person K is not erased: the control that shows the search finds what is still recoverable.
        await Create(NewReferral(ReferralsFactory.Association, "K", "77889900"));

        string[] erasedCanaries =
        [
            Canary("PrenomA"), "0611223344", Canary("NoteA"), Canary("MessageA"), Canary("AttenteA"), Canary("ReorientationA"), Canary("ClotureA"),
            Canary("PrenomB"), Canary("MailB").ToLowerInvariant(), Canary("NoteB"), Canary("DerogationB"), Canary("RetraitB"),
            Canary("PrenomC"), "0699001122", Canary("NoteC"), Canary("RefusC"),
            Canary("PrenomD"), "0633445566", Canary("NoteD"), Canary("ErreurD"),
        ];
        string[] keptCanaries = [Canary("PrenomK"), "0677889900", Canary("NoteK")];

        // Before: nothing is in clear in the database, and a copy of it alone decrypts nothing (the person keys in it are
        // wrapped under a KEK that is not there); whoever also holds the KEK reads everything.
        var before = await TakeCopies();
        Assert.Empty(CanariesInClear(before, [.. erasedCanaries, .. keptCanaries]));
        Assert.Empty(CanariesRecoverable(before, [.. erasedCanaries, .. keptCanaries]));
        Assert.Equal([.. erasedCanaries, .. keptCanaries], CanariesRecoverable(before, [.. erasedCanaries, .. keptCanaries], Kek));

        foreach (var id in new[] { a, b, c, d }) // erasing the original erases the person, so the referral it was redirected to too
        {
            await Act(SenderManager(), id, "erasure", await ETagOf(people.Worker(), id), new { ground = "personRequest", justification = "Demande écrite de la personne reçue le 27/11, réf. courrier 2026-114" });
        }

        // After: even with the KEK, the erased persons are gone.
        var after = await TakeCopies();
        Assert.Empty(CanariesRecoverable(after, erasedCanaries, Kek));
        Assert.Equal(keptCanaries, CanariesRecoverable(after, keptCanaries, Kek));

        // What the parties still see: the facts, and "[effacé]" for the person.
        var seen = await Get(people.Worker(), a);
        Assert.Equal(ReferralStatus.Redirected, seen.Status);
        Assert.Equal(PersonalData.Erased, seen.Person.FirstName);
        Assert.Equal(PersonalData.Erased, seen.Note);
        Assert.Equal(PersonalData.Erased, seen.Messages![0].Text);
        Assert.Equal(AgeBand.From26To40, seen.Person.AgeBand);
        Assert.NotNull(seen.PersonalDataErasedAt);
        Assert.DoesNotContain("erasure", seen.AllowedActions!);
        Assert.DoesNotContain("messages", seen.AllowedActions!);
        var completed = await Get(people.ChrsStaff(), a2);
        Assert.Equal(Outcome.Helped, completed.Outcome);
        Assert.NotNull(completed.FirstContactAt);
        Assert.Contains(await Audit(people.Admin(), a), e => e is { Action: "write:personal_data_erased", UserId: "iscg-direction" }
            && e.Detail!.StartsWith("person-request : Demande écrite"));
    }

    [Fact]
    public async Task Only_the_senders_manager_or_an_admin_may_erase_with_a_ground_and_a_justification_that_names_nobody()
    {
        var (id, etag) = await people.Send();
        var body = new { ground = "personRequest", justification = "Demande de la personne par courrier du 27 novembre" };

        await Act(people.Worker(), id, "erasure", etag, body, HttpStatusCode.Forbidden);
        await Act(factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, ReferralsFactory.Association, "aav-direction", manager: true)),
            id, "erasure", etag, body, HttpStatusCode.Forbidden);
        await Act(people.Outsider(), id, "erasure", etag, body, HttpStatusCode.NotFound);
        await Act(factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator)), id, "erasure", etag, body, HttpStatusCode.NotFound);
        await Act(SenderManager(), id, "erasure", etag, new { ground = "retentionPeriodEnded", justification = body.justification }, HttpStatusCode.BadRequest);
        await Act(SenderManager(), id, "erasure", etag, new { ground = "personRequest", justification = "trop court" }, HttpStatusCode.BadRequest);
        await Act(SenderManager(), id, "erasure", etag, new { ground = "personRequest", justification = "Demande de Nadia au 06 12 34 56 78 ce jour" }, HttpStatusCode.BadRequest);

        etag = await Act(factory.CreateClient().As(TestTokens.For(Roles.Admin)), id, "erasure", etag, body);
        await Act(SenderManager(), id, "erasure", etag, body, HttpStatusCode.Conflict);
        // Nothing personal can be added any more.
        await Act(people.Staff(), id, "messages", etag, new { text = "Bonjour" }, HttpStatusCode.Conflict);
        Assert.Equal(PersonalData.Erased, (await Inbox(people.Staff())).Items.Single(i => i.Id == id).FirstName);
    }

    [Fact]
    public async Task A_retried_creation_with_the_same_id_is_409_and_leaves_one_person_key()
    {
        var id = Guid.NewGuid();
        var request = new
        {
            id, receiverOrganisationId = ReferralsFactory.Association, departement = "93",
            person = new { firstName = "Nadia", ageBand = "from26To40", minorsInvolved = false },
            situation = "assault", needs = new[] { "coordination--aide-aux-victimes" }, urgency = "standard",
            consent = new { method = "oral", scope = new { identity = true, situation = true, needs = true } },
        };
        await (await people.Worker().SendJson(HttpMethod.Post, Route, request)).HasStatus(HttpStatusCode.Created);
        await (await people.Worker().SendJson(HttpMethod.Post, Route, request)).HasStatus(HttpStatusCode.Conflict);

        Assert.Equal("Nadia", (await Get(people.Worker(), id)).Person.FirstName);
    }

    private Task<string[]> TakeCopies() => Of(factory.ConnectionString);
}
