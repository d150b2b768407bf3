using Coordination.Notifications.Audience;
using Coordination.Notifications.Notifying;
using Coordination.ServiceDefaults.EventSourcing;
using Coordination.ServiceDefaults.Mail;
using Marten;
using Npgsql;

namespace Coordination.Notifications.Delivering;

/// <summary>
/// Sends the e-mails that are due. With several instances exactly one sends: the worker that holds a PostgreSQL advisory
/// lock (on its own connection; if that instance dies its connection closes and another takes over). Each e-mail is marked
/// sent right after the relay accepts it (over one SMTP connection kept for the pass), so a crash can at worst repeat
/// that one e-mail; a redelivered event cannot, because its delivery already exists. The same loop sends the digests when their 08:00 comes: a digest is only deliveries whose
/// due time is that morning, so it goes out once however many instances run and however often they restart.
/// </summary>
public sealed partial class DeliveryWorker(
    IDocumentStore store, IConfiguration configuration, IMailSender mailer, MailComposerFactory composers, DeliverySignal signal,
    TimeProvider time, ILogger<DeliveryWorker> logger) : BackgroundService
{
    /// <summary>"Notif" in ASCII: the advisory lock that elects the sending instance.</summary>
    private const long LeaderLock = 0x4E6F746966;
    private const int BatchSize = 100;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = configuration.GetConnectionString(EventStoreSetup.ConnectionStringName)!;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var leadership = new NpgsqlConnection(connectionString);
                await leadership.OpenAsync(stoppingToken);
                await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", leadership))
                {
                    take.Parameters.AddWithValue("key", LeaderLock);
                    if (await take.ExecuteScalarAsync(stoppingToken) is not true)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
                        continue;
                    }
                }
                LogLeader(logger);
                await DeliverWhileLeader(leadership, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or IOException)
            {
                LogDatabaseUnavailable(logger, e.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
            }
        }
    }

    private async Task DeliverWhileLeader(NpgsqlConnection leadership, CancellationToken ct)
    {
        var backoff = TimeSpan.Zero;
        while (!ct.IsCancellationRequested)
        {
            // Still the leader? A broken connection has released the lock on the server: stop before sending anything.
            await using (var ping = new NpgsqlCommand("SELECT 1", leadership))
                await ping.ExecuteScalarAsync(ct);

            var (handled, relayDown) = await DeliverDue(ct);
            if (relayDown)
            {
                backoff = backoff == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                await Task.Delay(backoff, time, ct);
                continue;
            }
            backoff = TimeSpan.Zero;
            if (handled < BatchSize)
                await signal.WaitAsync(Poll, ct);
        }
    }

    /// <summary>One pass over what is due. Returns how many deliveries were settled, and whether the relay was unreachable.</summary>
    public async Task<(int Handled, bool RelayDown)> DeliverDue(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var session = store.QuerySession();
        var due = await session.Query<Delivery>()
            .Where(d => d.Status == DeliveryStatus.Pending && d.DueAt <= now)
            .OrderBy(d => d.DueAt).Take(BatchSize).ToListAsync(ct);
        if (due.Count == 0)
            return (0, false);

        var notifications = (await session.LoadManyAsync<Notification>(ct, due.Select(d => d.NotificationId).Distinct().ToArray()))
            .ToDictionary(n => n.Id);
        var userIds = due.Select(d => d.UserId).Distinct().ToArray();
        var members = (await session.Query<Member>().Where(m => userIds.Contains(m.UserId)).ToListAsync(ct))
            .GroupBy(m => m.UserId).ToDictionary(g => g.Key, g => g.OrderByDescending(m => m.AddressVersion).First());
        var organisationIds = notifications.Values
            .SelectMany(n => new[] { n.Subject.SenderOrganisationId, n.Subject.ReceiverOrganisationId, n.Subject.OtherOrganisationId })
            .OfType<Guid>().Distinct().ToArray();
        var names = (await session.LoadManyAsync<KnownOrganisation>(ct, organisationIds)).ToDictionary(o => o.Id, o => o.Name);
        string OrganisationName(Guid? id) =>
            id is { } known && names.GetValueOrDefault(known) is { } name ? name : "une organisation du réseau";

        // One e-mail per immediate delivery; one per person for the digest deliveries due now.
        var units = due.Where(d => d.Mode != Rules.DeliveryMode.DailyDigest).Select(d => (Digest: false, Deliveries: new List<Delivery> { d }))
            .Concat(due.Where(d => d.Mode == Rules.DeliveryMode.DailyDigest).GroupBy(d => d.UserId)
                .Select(g => (Digest: true, Deliveries: g.ToList())))
            .ToList();

        var composer = composers.Create();
        // One SMTP connection for the pass, one e-mail after another: a connection per e-mail made the greeting most of the
        // cost. Four connections side by side were tried: the relay-outage test then missed e-mails 120 s after the restart
        // (cause not found), so one it is.
        var relayDown = 0;
        return (await DeliverLane(units), relayDown == 1);

        async Task<int> DeliverLane(List<(bool Digest, List<Delivery> Deliveries)> lane)
        {
            await using var laneSession = store.LightweightSession();
            await using var relay = mailer.OpenConnection();
            var settled = 0;
            var waiting = new List<Delivery>();
            foreach (var (digest, deliveries) in lane)
            {
                var member = members.GetValueOrDefault(deliveries[0].UserId);
                var items = deliveries.Select(d => notifications.GetValueOrDefault(d.NotificationId)).OfType<Notification>().ToList();
                // What can never be sent is settled whatever the relay's state, so that the manager sees it at once.
                var (outcome, error) = member is not { Active: true } ? (SendOutcome.RefusedPermanently, "account-disabled")
                    : member.Email is null ? (SendOutcome.RefusedPermanently, "no-address")
                    : items.Count == 0 ? (SendOutcome.RefusedPermanently, (string?)"address-refused")
                    : (SendOutcome.Unavailable, "smtp-unavailable");
                if (member is { Active: true, Email: { } address } && items.Count > 0 && Volatile.Read(ref relayDown) == 0)
                {
                    outcome = await Send(relay, composer.Compose(address, items, OrganisationName, digest), ct);
                    error = outcome switch { SendOutcome.Accepted => null, SendOutcome.Unavailable => "smtp-unavailable", _ => "address-refused" };
                    // The relay is down: what else is due waits too, and says so (health, the notification's state).
                    if (outcome == SendOutcome.Unavailable) Interlocked.Exchange(ref relayDown, 1);
                }
                if (outcome == SendOutcome.Unavailable)
                {
                    waiting.AddRange(deliveries);
                    continue;
                }
                foreach (var d in deliveries)
                    laneSession.Store(Settle(d, outcome == SendOutcome.Accepted ? DeliveryStatus.Sent : DeliveryStatus.Failed, error, time.GetUtcNow()));
                // Recorded at once: the window in which a crash could repeat an accepted e-mail stays one message wide.
                await laneSession.SaveChangesAsync(ct);
                settled += deliveries.Count;
            }
            if (waiting.Count > 0)
            {
                foreach (var d in waiting)
                    laneSession.Store(d with { Attempts = d.Attempts + 1, LastError = "smtp-unavailable", LastAttemptAt = now });
                await laneSession.SaveChangesAsync(ct);
            }
            return settled;
        }
    }

    private static Delivery Settle(Delivery d, DeliveryStatus status, string? error, DateTimeOffset now) =>
        d with { Status = status, LastError = error, Attempts = d.Attempts + 1, LastAttemptAt = now, SentAt = status == DeliveryStatus.Sent ? now : null };

    private async Task<SendOutcome> Send(IMailConnection relay, OutgoingMail mail, CancellationToken ct)
    {
        try
        {
            await relay.SendAsync(mail, ct);
            return SendOutcome.Accepted;
        }
        catch (MailDeliveryException e)
        {
            LogNotSent(logger, e.Permanent, e.Message);
            return e.Permanent ? SendOutcome.RefusedPermanently : SendOutcome.Unavailable;
        }
    }

    private enum SendOutcome { Accepted, RefusedPermanently, Unavailable }

    // The exception's message names the relay and the SMTP code, never the address.
    [LoggerMessage(Level = LogLevel.Warning, Message = "E-mail not sent (permanent: {Permanent}): {Reason}")]
    private static partial void LogNotSent(ILogger logger, bool permanent, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "This instance now sends the notifications' e-mails")]
    private static partial void LogLeader(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery worker: database unavailable ({ExceptionType}), retrying")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string exceptionType);
}

public sealed class MailComposerFactory(IConfiguration configuration)
{
    public MailComposer Create() => new(configuration["Notifications:PortalAddress"] ?? "http://127.0.0.1:8080");
}
