using System.Collections.Concurrent;
using Coordination.Notifications.Audience;
using Coordination.Notifications.Notifying;
using Coordination.ServiceDefaults.EventSourcing;
using Coordination.ServiceDefaults.Mail;
using Marten;
using Npgsql;

namespace Coordination.Notifications.Delivering;

/// <summary>
/// Sends the e-mails that are due. With several instances exactly one sends: the worker that holds a PostgreSQL advisory
/// lock (on its own connection; if that instance dies its connection closes and another takes over). A pass claims the
/// due deliveries in one query and sends them over a few SMTP connections side by side
/// (<c>Notifications:Delivery:Connections</c>), each delivery in one lane only. Each e-mail is marked sent right after the
/// relay accepts it, so a crash can at worst repeat the e-mail in hand on each connection; a redelivered event cannot,
/// because its delivery already exists. The same loop sends the digests when their 08:00 comes: a digest is only
/// deliveries whose due time is that morning, so it goes out once however many instances run and however often they restart.
/// </summary>
public sealed partial class DeliveryWorker(
    IDocumentStore store, IConfiguration configuration, IMailSender mailer, MailComposerFactory composers, DeliverySignal signal,
    TimeProvider time, ILogger<DeliveryWorker> logger) : BackgroundService
{
    public const string ConnectionsSetting = "Notifications:Delivery:Connections";

    /// <summary>
    /// One connection left the relay idle while each e-mail was recorded (0.47 of the mail server's own pace on a quiet
    /// machine); with four, one's record overlaps the others' sends. Runs: docs/benchmarks/README.md ("Notifications").
    /// </summary>
    public const int DefaultConnections = 4;

    /// <summary>"Notif" in ASCII: the advisory lock that elects the sending instance.</summary>
    private const long LeaderLock = 0x4E6F746966;
    private const int DuePerConnection = 50;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly int connections = Math.Clamp(configuration.GetValue(ConnectionsSetting, DefaultConnections), 1, 16);

    private int BatchSize => DuePerConnection * connections;

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
                LogLeader(logger, connections);
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

    /// <summary>One e-mail: an immediate delivery, or a person's digest deliveries due now.</summary>
    private sealed record MailUnit(bool Digest, IReadOnlyList<Delivery> Deliveries);

    /// <summary>One pass over what is due. Returns how many deliveries were settled, and whether the relay was unreachable.</summary>
    public async Task<(int Handled, bool RelayDown)> DeliverDue(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var session = store.QuerySession();
        var due = await DueBy(session, now).Take(BatchSize).ToListAsync(ct);
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
        var units = new ConcurrentQueue<MailUnit>(
            due.Where(d => d.Mode != Rules.DeliveryMode.DailyDigest).Select(d => new MailUnit(false, [d]))
                .Concat(due.Where(d => d.Mode == Rules.DeliveryMode.DailyDigest).GroupBy(d => d.UserId)
                    .Select(g => new MailUnit(true, g.ToList()))));

        var composer = composers.Create();
        // relayDown: set by the first lane the relay fails; the others send nothing more and record what is left as waiting.
        // stop: set by a lane that could not record; the others stop after the e-mail in hand. Nothing is cancelled mid-send:
        // an e-mail cut off after the relay took it would be sent again.
        var relayDown = 0;
        var stop = 0;
        var settledPerLane = await Task.WhenAll(Enumerable.Range(0, Math.Min(connections, units.Count)).Select(_ => DeliverLane()));
        return (settledPerLane.Sum(), relayDown == 1);

        // Each lane takes the next unit from the shared queue, so a slow e-mail holds up only its own lane, and every unit
        // taken is either settled or recorded as waiting by the lane that took it: none is left behind for the next pass to miss.
        async Task<int> DeliverLane()
        {
            await using var laneSession = store.LightweightSession();
            await using var relay = mailer.OpenConnection();
            var settled = 0;
            var waiting = new List<Delivery>();
            try
            {
                while (Volatile.Read(ref stop) == 0 && units.TryDequeue(out var unit))
                {
                    var deliveries = unit.Deliveries;
                    var member = members.GetValueOrDefault(deliveries[0].UserId);
                    var items = deliveries.Select(d => notifications.GetValueOrDefault(d.NotificationId)).OfType<Notification>().ToList();
                    // What can never be sent is settled whatever the relay's state, so that the manager sees it at once.
                    var (outcome, error) = member is not { Active: true } ? (SendOutcome.RefusedPermanently, "account-disabled")
                        : member.Email is null ? (SendOutcome.RefusedPermanently, "no-address")
                        : items.Count == 0 ? (SendOutcome.RefusedPermanently, (string?)"address-refused")
                        : (SendOutcome.Unavailable, "smtp-unavailable");
                    if (member is { Active: true, Email: { } address } && items.Count > 0 && Volatile.Read(ref relayDown) == 0)
                    {
                        outcome = await Send(relay, composer.Compose(address, items, OrganisationName, unit.Digest), ct);
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
                    // Recorded at once: the window in which a crash could repeat an accepted e-mail stays one message wide per lane.
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
            catch
            {
                // What this lane has not recorded stays pending and the next pass takes it again.
                Interlocked.Exchange(ref stop, 1);
                throw;
            }
        }
    }

    /// <summary>
    /// The pending deliveries due by <paramref name="now"/>, oldest first: read from the index of pending deliveries only
    /// (<see cref="NotificationsServiceExtensions"/>), never from the deliveries already sent.
    /// </summary>
    public static IQueryable<Delivery> DueBy(IQuerySession session, DateTimeOffset now) =>
        session.Query<Delivery>().Where(d => d.Status == DeliveryStatus.Pending && d.DueAt <= now).OrderBy(d => d.DueAt);

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

    [LoggerMessage(Level = LogLevel.Information, Message = "This instance now sends the notifications' e-mails ({Connections} SMTP connection(s))")]
    private static partial void LogLeader(ILogger logger, int connections);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery worker: database unavailable ({ExceptionType}), retrying")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string exceptionType);
}

public sealed class MailComposerFactory(IConfiguration configuration)
{
    public MailComposer Create() => new(configuration["Notifications:PortalAddress"] ?? "http://127.0.0.1:8080");
}
