using System.Collections.Concurrent;
using Coordination.Notifications.Delivering;
using Coordination.Notifications.Notifying;
using Coordination.Notifications.Rules;
using Coordination.ServiceDefaults.Mail;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Coordination.Notifications.Api.Tests;

/// <summary>
/// The delivery worker's pass over several SMTP connections, against a relay that goes down mid-pass: every delivery the
/// pass took is either recorded sent (and was accepted) or recorded waiting, and the next pass sends each of the others once.
/// </summary>
[Collection(NotificationsCollection.Name)]
public class DeliveryLanesTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task The_relay_failing_one_of_four_connections_mid_pass_leaves_nothing_behind_and_the_next_pass_sends_each_e_mail_once()
    {
        // A database of its own: the worker below, a day ahead, must find no one else's deliveries (digests due tomorrow).
        await using var host = new NotificationsFactory(fixture.Mail);
        await host.InitializeAsync();
        var organisation = await host.Organisation("France Victimes 93 – Pantin");
        var people = new[] { await host.Account(organisation), await host.Account(organisation), await host.Account(organisation) };
        const int Deliveries = 40, AcceptedBeforeOutage = 12;
        // Due tomorrow: the host's own worker leaves them alone; this test's worker, a day ahead, takes them.
        var ids = await DeliveriesDueTomorrow(host.Store, organisation, people, Deliveries);
        var relay = new RelayGoingDown(AcceptedBeforeOutage);
        var worker = Worker(host.Store, relay, connections: 4);

        var (handled, relayDown) = await worker.DeliverDue(CancellationToken.None);

        Assert.True(relayDown);
        Assert.Equal(AcceptedBeforeOutage, handled);
        // The other connections stop at their next e-mail (the ones in hand when it went down fail too): not all 28 are tried.
        Assert.InRange(relay.Attempted, AcceptedBeforeOutage + 1, AcceptedBeforeOutage + 2 * 4);
        var afterOutage = await Load(host.Store, ids);
        var sent = afterOutage.Where(d => d.Status == DeliveryStatus.Sent).ToList();
        Assert.Equal(relay.Accepted.Order(), sent.Select(MessageIdOf).Order());
        var waiting = afterOutage.Where(d => d.Status != DeliveryStatus.Sent).ToList();
        Assert.Equal(Deliveries - AcceptedBeforeOutage, waiting.Count);
        Assert.All(waiting, d => Assert.Equal((DeliveryStatus.Pending, 1, "smtp-unavailable"), (d.Status, d.Attempts, d.LastError)));

        relay.Restart();
        Assert.Equal((Deliveries - AcceptedBeforeOutage, false), await worker.DeliverDue(CancellationToken.None));

        var settled = await Load(host.Store, ids);
        Assert.All(settled, d => Assert.Equal(DeliveryStatus.Sent, d.Status));
        Assert.Equal(Deliveries, relay.Accepted.Count);
        Assert.Equal(settled.Select(MessageIdOf).Order(), relay.Accepted.Order());
        Assert.Equal((0, false), await worker.DeliverDue(CancellationToken.None));
    }

    private static async Task<Guid[]> DeliveriesDueTomorrow(IDocumentStore store, Guid organisation, NotificationsFactory.Person[] people, int count)
    {
        var now = DateTimeOffset.UtcNow;
        var ids = new List<Guid>();
        await using var session = store.LightweightSession();
        for (var i = 0; i < count; i++)
        {
            var person = people[i % people.Length];
            var notification = new Notification(Guid.NewGuid(), person.UserId, organisation, "referral-accepted", Category.ReferralAnswered,
                new AlertSubject("referral", Guid.NewGuid(), SenderOrganisationId: organisation), false, now, null);
            var delivery = new Delivery(Guid.NewGuid(), notification.Id, person.UserId, organisation, Delivery.Email, DeliveryMode.Immediate,
                DeliveryStatus.Pending, now.AddDays(1), 0, null, null, null, now);
            session.Store(notification);
            session.Store(delivery);
            ids.Add(delivery.Id);
        }
        await session.SaveChangesAsync();
        return [.. ids];
    }

    private static async Task<IReadOnlyList<Delivery>> Load(IDocumentStore store, Guid[] ids)
    {
        await using var session = store.QuerySession();
        return await session.LoadManyAsync<Delivery>(ids);
    }

    /// <summary>The e-mail's Message-Id as the worker composes it (stable per notification).</summary>
    private static string MessageIdOf(Delivery d) => $"{d.NotificationId:N}.alert@coordination.local";

    private static DeliveryWorker Worker(IDocumentStore store, IMailSender relay, int connections)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DeliveryWorker.ConnectionsSetting] = connections.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        return new DeliveryWorker(store, configuration, relay, new MailComposerFactory(configuration), new DeliverySignal(),
            new DayAhead(), NullLogger<DeliveryWorker>.Instance);
    }

    private sealed class DayAhead : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddDays(1).AddMinutes(1);
    }

    /// <summary>Takes the first <paramref name="acceptBeforeOutage"/> e-mails (a few milliseconds each, so that the connections
    /// interleave), then refuses every one until restarted.</summary>
    private sealed class RelayGoingDown(int acceptBeforeOutage) : IMailSender
    {
        private int taken;
        private volatile int limit = acceptBeforeOutage;

        public ConcurrentQueue<string> Accepted { get; } = new();

        public int Attempted => Volatile.Read(ref taken);

        public void Restart() => limit = int.MaxValue;

        public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IMailConnection OpenConnection() => new Connection(this);

        private sealed class Connection(RelayGoingDown relay) : IMailConnection
        {
            public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
            {
                await Task.Delay(5, cancellationToken);
                if (Interlocked.Increment(ref relay.taken) > relay.limit)
                    throw new MailDeliveryException("The relay is down.", permanent: false);
                relay.Accepted.Enqueue(mail.MessageId!);
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
