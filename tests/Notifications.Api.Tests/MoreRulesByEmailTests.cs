using Coordination.Contracts.Projects;
using Coordination.Contracts.Referrals;
using Coordination.Contracts.Training;
using Coordination.Notifications.Audience;
using Coordination.Testing;
using Xunit;

namespace Coordination.Notifications.Api.Tests;

/// <summary>
/// The rest of the rules table, row by row, through the real broker and the real mail server (assertions read smtp4dev's
/// API): answers to a hand-off, projects, and training sessions.
/// </summary>
[Collection(NotificationsCollection.Name)]
public class MoreRulesByEmailTests(NotificationsFixture fixture)
{
    private NotificationsFactory Host => fixture.Host;

    [Fact]
    public async Task Accepted_and_completed_reach_the_senders_staff_and_not_the_receiver()
    {
        var sender = await Host.Organisation("Poste ISCG – Commissariat de Drancy");
        var receiver = await Host.Organisation("CIDFF Drancy");
        var worker = await Host.Account(sender, role: "iscg_worker");
        var staff = await Host.Account(receiver);
        var referralId = Guid.NewGuid();

        await Host.Publish(new ReferralAccepted(referralId, sender, receiver, "93", "standard", 5, DateTimeOffset.UtcNow));
        await Host.Publish(new ReferralCompleted(referralId, sender, receiver, "93", "standard", "partly-helped", 9, DateTimeOffset.UtcNow));

        var mails = await Host.MailTo(worker.Email, count: 2);
        Assert.Single(mails, m => m.Subject.Contains("Orientation acceptée"));
        Assert.Contains("Issue : personne partiellement aidée", Assert.Single(mails, m => m.Subject.Contains("Orientation clôturée")).Text);
        Assert.Empty(await Host.Mail.MessagesToAsync(staff.Email));
    }

    [Fact]
    public async Task A_redirection_tells_the_sender_and_the_new_hand_off_tells_the_collecting_organisation()
    {
        var sender = await Host.Organisation("Poste ISCG – Commissariat de Sevran");
        var first = await Host.Organisation("France Victimes 93 – Sevran");
        var collecting = await Host.Organisation("CHRS L'Escale");
        var worker = await Host.Account(sender, role: "iscg_worker");
        var collector = await Host.Account(collecting);
        var redirected = new ReferralRedirected(Guid.NewGuid(), sender, first, "93", "standard", Guid.NewGuid(), collecting, 6, DateTimeOffset.UtcNow);
        var deadline = DateTimeOffset.UtcNow.AddDays(5);

        await Host.Publish(redirected);
        // Referrals publishes the new hand-off as a ReferralSent naming the one it comes from.
        await Host.Publish(new ReferralSent(redirected.NewReferralId, sender, collecting, "93", "standard", "intrafamily-violence", [], true, false,
            deadline, deadline.AddDays(30), redirected.ReferralId, 1, DateTimeOffset.UtcNow));

        var toSender = Assert.Single(await Host.MailTo(worker.Email));
        Assert.Contains("Orientation réorientée", toSender.Subject);
        Assert.Contains("Réorientée vers : CHRS L'Escale", toSender.Text);
        Assert.Contains($"/orientations/{redirected.NewReferralId}", toSender.Text);
        var toCollector = Assert.Single(await Host.MailTo(collector.Email));
        Assert.Contains("Nouvelle orientation reçue", toCollector.Subject);
        Assert.Contains("Cette orientation fait suite à une réorientation.", toCollector.Text);
    }

    [Fact]
    public async Task An_expiry_reaches_the_sender_at_once_even_with_a_digest_preference()
    {
        var sender = await Host.Organisation("Poste ISCG – Commissariat de Villepinte");
        var receiver = await Host.Organisation("Association Aurore");
        var worker = await Host.Account(sender, role: "iscg_worker");
        (await Host.As(worker).SendJson(HttpMethod.Put, "/api/notifications/preferences",
            new { categories = new[] { new { category = "referralAnswered", mode = "dailyDigest" } }, quietHours = (object?)null }))
            .EnsureSuccessStatusCode();

        await Host.Publish(new ReferralExpired(Guid.NewGuid(), sender, receiver, "93", "within-24-hours", 7, DateTimeOffset.UtcNow));

        Assert.Contains("Orientation expirée sans réponse", Assert.Single(await Host.MailTo(worker.Email)).Subject);
    }

    [Fact]
    public async Task A_milestone_overdue_and_a_support_answer_reach_the_lead_organisations_staff()
    {
        var lead = await Host.Organisation("France Victimes 93 – Pôle projets");
        var other = await Host.Organisation("Poste ISCG – Commissariat de Stains");
        var staff = await Host.Account(lead);
        var outsider = await Host.Account(other);
        var projectId = Guid.NewGuid();
        await Host.Publish(new ProjectStageChanged(projectId, "iscg-post", ["93"], lead, "in-progress", "draft", 2, DateTimeOffset.UtcNow));
        await HttpClientExtensions.Eventually(async () =>
        {
            await using var session = Host.Store.QuerySession();
            return await session.LoadAsync<ProjectLead>(projectId);
        }, p => p?.LeadOrganisationId == lead, what: "project lead known");

        await Host.Publish(new ProjectMilestoneOverdue(projectId, Guid.NewGuid(), new DateOnly(2026, 11, 30), 3, DateTimeOffset.UtcNow));
        await Host.Publish(new SupportRequestAnswered(Guid.NewGuid(), projectId, "funding-file-review", 20.5, 2, DateTimeOffset.UtcNow));

        var mails = await Host.MailTo(staff.Email, count: 2);
        Assert.Contains("Échéance : 30 novembre 2026", Assert.Single(mails, m => m.Subject.Contains("Jalon de projet en retard")).Text);
        Assert.Contains("Demande : relecture d'un dossier de financement",
            Assert.Single(mails, m => m.Subject.Contains("Réponse à votre demande d'appui")).Text);
        Assert.All(mails, m => Assert.Contains($"/projets/{projectId}", m.Text));
        Assert.Empty(await Host.Mail.MessagesToAsync(outsider.Email));
    }

    [Theory]
    [InlineData("cancelled", "Session de formation annulée", "La session n'aura pas lieu")]
    [InlineData("moved", "Session de formation déplacée", "Nouvelle date : lundi 18 janvier 2027 à 09h30 (heure de Paris)")]
    [InlineData("promoted", "Une place s'est libérée", "Date de la session : lundi 11 janvier 2027 à 09h30 (heure de Paris)")]
    [InlineData("reminder", "Rappel : votre session de formation a lieu dans deux jours", "Date de la session : lundi 11 janvier 2027")]
    public async Task Training_registrants_are_told_at_once_by_e_mail_and_nobody_else(string moment, string subject, string line)
    {
        var organisation = await Host.Organisation("France Victimes 93 – Formation");
        var registrant = await Host.Account(organisation);
        var onDigest = await Host.Account(organisation, role: "iscg_worker");
        var colleague = await Host.Account(organisation);
        (await Host.As(onDigest).SendJson(HttpMethod.Put, "/api/notifications/preferences",
            new { categories = new[] { new { category = "training", mode = "dailyDigest" } }, quietHours = (object?)null }))
            .EnsureSuccessStatusCode();
        var sessionId = Guid.NewGuid();
        var starts = new DateTimeOffset(2027, 1, 11, 8, 30, 0, TimeSpan.Zero);
        var notice = moment == "moved"
            ? new TrainingRegistrantsNotice(sessionId, moment, [registrant.UserId, onDigest.UserId], starts.AddDays(7), starts, 5, DateTimeOffset.UtcNow)
            : new TrainingRegistrantsNotice(sessionId, moment, [registrant.UserId, onDigest.UserId], starts, null, 5, DateTimeOffset.UtcNow);

        await Host.Publish(notice);

        foreach (var person in new[] { registrant, onDigest })
        {
            var mail = Assert.Single(await Host.MailTo(person.Email));
            Assert.Contains(subject, mail.Subject);
            Assert.Contains(line, mail.Text);
            Assert.Contains($"https://portail.coordination.test/formations/sessions/{sessionId}", mail.Text);
            if (moment == "moved")
                Assert.Contains("Date prévue jusqu'ici : lundi 11 janvier 2027 à 09h30 (heure de Paris)", mail.Text);
        }
        Assert.Equal(new[] { onDigest.UserId, registrant.UserId }.Order(StringComparer.Ordinal),
            (await Host.NotificationsAbout(sessionId)).Select(n => n.UserId).Order(StringComparer.Ordinal));
        Assert.Empty(await Host.Mail.MessagesToAsync(colleague.Email));
    }
}
