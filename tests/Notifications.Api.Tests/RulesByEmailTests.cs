using System.Net;
using Coordination.Contracts.Referrals;
using Coordination.Notifications.Notifying;
using Coordination.Notifications.Rules;
using Coordination.Testing;
using Xunit;

namespace Coordination.Notifications.Api.Tests;

/// <summary>The rules table through the real broker and the real mail server: each assertion reads smtp4dev's API.</summary>
[Collection(NotificationsCollection.Name)]
public class RulesByEmailTests(NotificationsFixture fixture)
{
    private NotificationsFactory Host => fixture.Host;
    private static readonly DateTimeOffset Deadline = new(2026, 12, 9, 0, 30, 0, TimeSpan.Zero);

    private static ReferralSent Sent(Guid sender, Guid receiver, string urgency, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), sender, receiver, "93", urgency, "intrafamily-violence", ["logement-hebergement--rechercher-une-solution-dhebergement-temporaire"],
            true, false, Deadline, Deadline.AddDays(30), null, 3, DateTimeOffset.UtcNow);

    /// <summary>Every day, around the clock: whatever time the test runs, these people are on call.</summary>
    private static object AroundTheClock(params string[] userIds) => new
    {
        slots = new[]
        {
            new { days = Enum.GetNames<DayOfWeek>().Select(d => d.ToLowerInvariant()), from = "00:00", to = "12:00", userIds },
            new { days = Enum.GetNames<DayOfWeek>().Select(d => d.ToLowerInvariant()), from = "12:00", to = "00:00", userIds },
        },
    };

    [Fact]
    public async Task An_immediate_hand_off_reaches_the_on_call_person_by_e_mail_and_nobody_else()
    {
        var sender = await Host.Organisation("Poste ISCG – Commissariat de Bobigny");
        var receiver = await Host.Organisation("France Victimes 93");
        var manager = await Host.Account(receiver, manager: true);
        var onCall = await Host.Account(receiver);
        var colleague = await Host.Account(receiver);
        (await Host.As(manager).SendJson(HttpMethod.Put, $"/api/notifications/rotas/{receiver}", AroundTheClock(onCall.UserId)))
            .EnsureSuccessStatusCode();

        var referral = Sent(sender, receiver, "immediate");
        await Host.Publish(referral);

        var mail = Assert.Single(await Host.MailTo(onCall.Email));
        Assert.Contains("Orientation urgente reçue – réf. " + referral.ReferralId.ToString("N")[..8].ToUpperInvariant(), mail.Subject);
        Assert.Contains("Vers : France Victimes 93", mail.Text);
        Assert.Contains("De : Poste ISCG – Commissariat de Bobigny", mail.Text);
        Assert.Contains("Urgence : immédiate", mail.Text);
        Assert.Contains("À accuser avant le mercredi 9 décembre 2026 à 01h30 (heure de Paris)", mail.Text);
        Assert.Contains($"https://portail.coordination.test/orientations/{referral.ReferralId}", mail.Text);
        // One transaction created every notification of the event: nobody else was told.
        var told = await Host.NotificationsAbout(referral.ReferralId);
        Assert.Equal([onCall.UserId], told.Select(n => n.UserId));
        Assert.Empty(await Host.Mail.MessagesToAsync(colleague.Email));
        Assert.Empty(await Host.Mail.MessagesToAsync(manager.Email));
    }

    [Fact]
    public async Task Overdue_tells_the_receivers_manager_and_staff_and_the_sender_once_even_redelivered_and_replayed()
    {
        var sender = await Host.Organisation("Poste ISCG – Gendarmerie de Montreuil");
        var receiver = await Host.Organisation("CCAS de Montreuil");
        var worker = await Host.Account(sender, role: "iscg_worker");
        var manager = await Host.Account(receiver, manager: true);
        var staff = await Host.Account(receiver);
        var overdue = new ReferralOverdue(Guid.NewGuid(), sender, receiver, "93", "within-24-hours", Deadline, 4, DateTimeOffset.UtcNow);

        var messageId = Guid.NewGuid();
        await Host.Publish(overdue, messageId);
        await Host.Publish(overdue, messageId);          // redelivered
        await Host.Publish(overdue, Guid.NewGuid());     // replayed under a new message id

        foreach (var person in new[] { worker, manager, staff })
            Assert.Contains("Orientation en retard", Assert.Single(await Host.MailTo(person.Email)).Subject);
        await HttpClientExtensions.Eventually(() => TestInfrastructure.QueueDepthAsync(Host.Amqp, "notifications-alerting-events"),
            depth => depth == 0, what: "queue drained");
        foreach (var person in new[] { worker, manager, staff })
            Assert.Single(await Host.Mail.MessagesToAsync(person.Email));
    }

    [Fact]
    public async Task A_decline_reaches_the_sender_at_once_with_the_reason_even_with_a_digest_preference()
    {
        var sender = await Host.Organisation("Poste ISCG – Commissariat de Saint-Denis");
        var receiver = await Host.Organisation("CHRS Les Glycines");
        var worker = await Host.Account(sender, role: "iscg_worker");
        (await Host.As(worker).SendJson(HttpMethod.Put, "/api/notifications/preferences",
            new { categories = new[] { new { category = "referralAnswered", mode = "dailyDigest" } }, quietHours = (object?)null }))
            .EnsureSuccessStatusCode();

        var declined = new ReferralDeclined(Guid.NewGuid(), sender, receiver, "93", "standard", ["no-capacity", "outside-territory"],
            "organisation", 5, DateTimeOffset.UtcNow);
        await Host.Publish(declined);

        var mail = Assert.Single(await Host.MailTo(worker.Email));
        Assert.Contains("Orientation refusée", mail.Subject);
        Assert.Contains("Motif(s) : pas de capacité d'accueil, hors de notre territoire", mail.Text);
    }

    [Fact]
    public async Task Off_means_no_e_mail_but_the_notification_is_in_the_centre()
    {
        var sender = await Host.Organisation("Poste ISCG – Commissariat d'Aubervilliers");
        var receiver = await Host.Organisation("AVIL Lyon");
        var worker = await Host.Account(sender, role: "iscg_worker");
        (await Host.As(worker).SendJson(HttpMethod.Put, "/api/notifications/preferences",
            new { categories = new[] { new { category = "referralAnswered", mode = "off" } }, quietHours = (object?)null }))
            .EnsureSuccessStatusCode();

        var accepted = new ReferralAccepted(Guid.NewGuid(), sender, receiver, "93", "standard", 5, DateTimeOffset.UtcNow);
        await Host.Publish(accepted);

        var centre = await HttpClientExtensions.Eventually(
            async () => await (await Host.As(worker).GetAsync("/api/notifications")).ReadJsonElement(),
            c => c.GetProperty("items").GetArrayLength() == 1, what: "notification in the centre");
        var item = centre.GetProperty("items")[0];
        Assert.Equal("Orientation acceptée", item.GetProperty("title").GetString());
        Assert.Equal("skipped", item.GetProperty("email").GetProperty("status").GetString());
        Assert.Equal(1, centre.GetProperty("unread").GetInt32());
        Assert.Empty(await Host.Mail.MessagesToAsync(worker.Email));
    }

    [Fact]
    public async Task A_standard_hand_off_for_someone_on_the_digest_waits_for_08_00_and_then_comes_as_one_e_mail()
    {
        var sender = await Host.Organisation("Poste ISCG – Commissariat de Pantin");
        var receiver = await Host.Organisation("France Victimes 93 – Antenne de Pantin");
        var staff = await Host.Account(receiver);
        (await Host.As(staff).SendJson(HttpMethod.Put, "/api/notifications/preferences",
            new { categories = new[] { new { category = "referralReceived", mode = "dailyDigest" } }, quietHours = (object?)null }))
            .EnsureSuccessStatusCode();

        await Host.Publish(Sent(sender, receiver, "standard"));
        await Host.Publish(Sent(sender, receiver, "standard"));

        var waiting = await HttpClientExtensions.Eventually(() => Host.DeliveriesOf(staff.UserId), d => d.Count == 2, what: "two deliveries");
        var next0800 = ParisTime.NextDigest(DateTimeOffset.UtcNow);
        Assert.All(waiting, d => Assert.Equal((DeliveryStatus.Pending, DeliveryMode.DailyDigest, next0800), (d.Status, d.Mode, d.DueAt)));
        Assert.Empty(await Host.Mail.MessagesToAsync(staff.Email));

        // 08:00 comes (moved to now: the test does not wait until tomorrow).
        await using (var session = Host.Store.LightweightSession())
        {
            foreach (var d in waiting) session.Store(d with { DueAt = DateTimeOffset.UtcNow.AddSeconds(-1) });
            await session.SaveChangesAsync();
        }

        var digest = Assert.Single(await Host.MailTo(staff.Email));
        Assert.Contains("récapitulatif du jour : 2 notifications", digest.Subject);
    }

    [Fact]
    public async Task A_message_on_a_hand_off_is_told_to_the_other_party_without_its_text()
    {
        var sender = await Host.Organisation("Poste ISCG – Commissariat de Bondy");
        var receiver = await Host.Organisation("CIDFF 93");
        var worker = await Host.Account(sender, role: "iscg_worker");
        var staff = await Host.Account(receiver);

        await Host.Publish(new ReferralMessagePosted(Guid.NewGuid(), sender, receiver, "93", "standard", Guid.NewGuid(), receiver, 6, DateTimeOffset.UtcNow));

        Assert.Contains("Nouveau message", Assert.Single(await Host.MailTo(worker.Email)).Subject);
        Assert.Empty(await Host.Mail.MessagesToAsync(staff.Email));
    }

    [Fact]
    public async Task A_refused_address_is_recorded_as_failed_and_shown_to_the_organisations_manager()
    {
        var sender = await Host.Organisation("Poste ISCG – Commissariat de Noisy");
        var receiver = await Host.Organisation("France Victimes 93 – Noisy");
        var manager = await Host.Account(receiver, manager: true);
        var refused = await Host.Account(receiver, email: $"{Guid.NewGuid():N}@refuse.test");

        var referral = Sent(sender, receiver, "standard");
        await Host.Publish(referral);

        Assert.Single(await Host.MailTo(manager.Email));
        var failed = await HttpClientExtensions.Eventually(() => Host.DeliveriesOf(refused.UserId),
            d => d.Count == 1 && d[0].Status == DeliveryStatus.Failed, what: "delivery failed");
        Assert.Equal("address-refused", failed[0].LastError);

        var list = await (await (await Host.As(manager).GetAsync("/api/notifications/failed-deliveries")).HasStatus(HttpStatusCode.OK)).ReadJsonElement();
        var row = Assert.Single(list.EnumerateArray(), r => r.GetProperty("userId").GetString() == refused.UserId);
        Assert.Equal("Adresse refusée par le serveur de messagerie", row.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await Host.As(refused).GetAsync("/api/notifications/failed-deliveries")).StatusCode);
    }
}
