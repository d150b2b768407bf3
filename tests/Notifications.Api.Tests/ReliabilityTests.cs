using Coordination.Contracts.Referrals;
using Coordination.Notifications.Notifying;
using Coordination.Testing;
using Xunit;

namespace Coordination.Notifications.Api.Tests;

/// <summary>Exactly one e-mail per (event, recipient, channel): through an SMTP outage, and with two instances.</summary>
[Collection(NotificationsCollection.Name)]
public class ReliabilityTests(NotificationsFixture fixture)
{
    private NotificationsFactory Host => fixture.Host;

    private static ReferralAccepted Accepted(Guid sender, Guid receiver) =>
        new(Guid.NewGuid(), sender, receiver, "93", "standard", 5, DateTimeOffset.UtcNow);

    private async Task<(Guid Sender, Guid Receiver, NotificationsFactory.Person[] People)> SendersOf(int people)
    {
        var sender = await Host.Organisation("Poste ISCG – Commissariat d'Épinay");
        var receiver = await Host.Organisation("France Victimes 93 – Épinay");
        var accounts = new List<NotificationsFactory.Person>();
        for (var i = 0; i < people; i++)
            accounts.Add(await Host.Account(sender, role: "iscg_worker"));
        return (sender, receiver, [.. accounts]);
    }

    private async Task<IReadOnlyList<TestMailServer.Received>> AllTo(IEnumerable<NotificationsFactory.Person> people)
    {
        var addresses = people.Select(p => p.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return await Host.Mail.MessagesAsync(to => to.Any(addresses.Contains));
    }

    [Fact]
    public async Task Mail_server_stopped_mid_burst_then_restarted_loses_nothing_and_doubles_nothing()
    {
        var (sender, receiver, people) = await SendersOf(2);
        const int Events = 20;

        for (var i = 0; i < Events / 2; i++)
            await Host.Publish(Accepted(sender, receiver));
        await HttpClientExtensions.Eventually(async () => (await AllTo(people)).Count, n => n >= 1, TimeSpan.FromSeconds(60), "burst started");
        await Host.Mail.StopAsync();
        try
        {
            for (var i = 0; i < Events / 2; i++)
                await Host.Publish(Accepted(sender, receiver));

            // While the relay is down the deliveries wait: health and the notifications' state say so.
            var health = await HttpClientExtensions.Eventually(
                async () => await (await Host.CreateClient().GetAsync("/health")).ReadJsonElement(),
                h => h.GetProperty("checks").GetProperty("mail-deliveries").GetProperty("data").GetProperty("outstanding").GetInt32() > 0,
                TimeSpan.FromSeconds(60), "outstanding e-mails in /health");
            Assert.Equal("Degraded", health.GetProperty("checks").GetProperty("mail-deliveries").GetProperty("status").GetString());
            var centre = await (await Host.As(people[0]).GetAsync("/api/notifications")).ReadJsonElement();
            Assert.Contains(centre.GetProperty("items").EnumerateArray(), i =>
                i.GetProperty("email").GetProperty("status").GetString() == "pending"
                && i.GetProperty("email").GetProperty("lastError").GetString() == "smtp-unavailable");
        }
        finally
        {
            await Host.Mail.StartAsync();
        }

        var received = await HttpClientExtensions.Eventually(() => AllTo(people), m => m.Count >= Events * people.Length,
            TimeSpan.FromSeconds(120), "every e-mail after the restart");
        await HttpClientExtensions.Eventually(async () =>
        {
            var deliveries = new List<Delivery>();
            foreach (var p in people) deliveries.AddRange(await Host.DeliveriesOf(p.UserId));
            return deliveries;
        }, d => d.Count == Events * people.Length && d.All(x => x.Status == DeliveryStatus.Sent), what: "every delivery settled");
        received = await AllTo(people);
        Assert.Equal(Events * people.Length, received.Count);
        Assert.Equal(received.Count, received.Select(m => (m.To[0], ReferenceOf(m.Subject))).Distinct().Count());
    }

    [Fact]
    public async Task Two_instances_send_each_e_mail_exactly_once()
    {
        var (sender, receiver, people) = await SendersOf(3);
        await using var second = new NotificationsFactory(Host.Mail, sharedDatabase: Host.Database, sharedBroker: Host.Amqp);
        await second.InitializeAsync();
        _ = second.Services;
        const int Events = 30;

        for (var i = 0; i < Events; i++)
        {
            var accepted = Accepted(sender, receiver);
            var messageId = Guid.NewGuid();
            // Each instance is handed the same message (a redelivery racing on the other instance) and both consume.
            await Host.Publish(accepted, messageId);
            await second.Publish(accepted, messageId);
        }

        await HttpClientExtensions.Eventually(() => AllTo(people), m => m.Count >= Events * people.Length, TimeSpan.FromSeconds(120),
            "every e-mail");
        await HttpClientExtensions.Eventually(() => TestInfrastructure.QueueDepthAsync(Host.Amqp, "notifications-alerting-events"),
            depth => depth == 0, what: "queue drained");
        var deliveries = new List<Delivery>();
        foreach (var p in people) deliveries.AddRange(await Host.DeliveriesOf(p.UserId));
        Assert.Equal(Events * people.Length, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(DeliveryStatus.Sent, d.Status));
        var received = await AllTo(people);
        Assert.Equal(Events * people.Length, received.Count);
    }

    private static string ReferenceOf(string subject) => subject[(subject.LastIndexOf("réf. ", StringComparison.Ordinal) + 5)..];
}
