using System.Diagnostics;
using Coordination.Contracts;
using Coordination.Contracts.Directory;
using Coordination.Contracts.Identity;
using Coordination.Contracts.Referrals;
using MassTransit;

namespace Coordination.Benchmarks.Notifications;

/// <param name="Index">The event's number (its reference's first eight hex digits); probes count from <see cref="NotifyLoad.FirstProbe"/>.</param>
/// <param name="PublishedAt">Wall clock just before the publish call (the same clock the relay's acceptance is stamped with).</param>
/// <param name="LateMs">How late the publisher started it after its scheduled time.</param>
/// <param name="ConfirmMs">Until RabbitMQ confirmed it (publisher confirms).</param>
public sealed record PublishedEvent(int Index, bool Warmup, DateTimeOffset PublishedAt, double LateMs, double ConfirmMs, string? Error);

/// <summary>
/// Publishes what Notifications learns from (a receiving organisation and its staff, from the Directory's and Identity's
/// contracts) and then hand-offs sent to it with the urgency <c>immediate</c>, as Referrals publishes them: each one
/// e-mails every staff member at once (no on-call rota, so every active staff member; quiet hours do not apply).
/// </summary>
public sealed class NotifyLoad(NotifyOptions options, TimeProvider time) : IAsyncDisposable
{
    public const int FirstProbe = 0x7F000000;
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private readonly Guid sender = Guid.NewGuid(), receiver = Guid.NewGuid();
    private IBusControl? bus;
    private int probes;

    /// <summary>Every staff address of this run: <c>notifybench-RUN-N@banc-essai.test</c>.</summary>
    public IReadOnlyList<string> Addresses => [.. Enumerable.Range(0, options.Recipients).Select(i => $"notifybench-{run}-{i}@banc-essai.test")];

    public bool IsOurs(string to) => to.Contains($"notifybench-{run}-", StringComparison.OrdinalIgnoreCase);

    /// <summary>The event number a subject's reference (« réf. 0000002A ») carries, or null.</summary>
    public static int? IndexOf(string subject)
    {
        var at = subject.LastIndexOf("réf. ", StringComparison.Ordinal);
        return at >= 0 && subject.Length >= at + 13 && int.TryParse(subject.AsSpan(at + 5, 8), System.Globalization.NumberStyles.HexNumber, null, out var i)
            ? i : null;
    }

    public async Task StartAsync(CancellationToken ct)
    {
        bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(options.Amqp));
        await bus.StartAsync(ct);
        var now = time.GetUtcNow();
        await Publish(new OrganisationRegistered(receiver, OrganisationKinds.VictimSupportAssociation, null, null, ["93"], [], true, 1, now,
            $"Banc d'essai notifications {run} – réception"), ct);
        await Publish(new OrganisationRegistered(sender, OrganisationKinds.IscgPost, null, "police", ["93"], [], false, 1, now,
            $"Banc d'essai notifications {run} – poste ISCG"), ct);
        var addresses = Addresses;
        for (var i = 0; i < addresses.Count; i++)
        {
            var account = Guid.NewGuid();
            var userId = $"notifybench-{run}-{i}";
            await Publish(new AccountActivated(account, userId, "association_staff", receiver, false, 1, now), ct);
            // Only Notifications receives the delivery address (Identity's dedicated contract); a made-up one here.
            await Publish(new AccountDeliveryAddressChanged(account, userId, "Banc d'essai", addresses[i], 2, now), ct);
        }
    }

    /// <summary>
    /// Probes until every staff member got one e-mail: Notifications then knows the organisation and the accounts (their
    /// events travel on other queues than the hand-offs', so in no guaranteed order).
    /// </summary>
    public async Task<bool> WaitUntilKnownAsync(IAcceptedMails mail, TimeSpan limit, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            await Publish(Sent(FirstProbe + probes++), ct);
            var until = watch.Elapsed + TimeSpan.FromSeconds(3);
            while (watch.Elapsed < until)
            {
                await Task.Delay(250, ct);
                var probesReceived = (await mail.AllToAsync(IsOurs, ct)).Where(m => IndexOf(m.Subject) >= FirstProbe)
                    .SelectMany(m => m.To).Where(IsOurs).Distinct(StringComparer.OrdinalIgnoreCase).Count();
                if (probesReceived == options.Recipients) return true;
            }
        }
        return false;
    }

    /// <summary>Open loop: event i is due at i / rate after the start, whatever the previous ones are doing.</summary>
    public async Task<List<PublishedEvent>> PublishAtRateAsync(int first, int count, bool warmup, CancellationToken ct)
    {
        var published = new PublishedEvent?[count];
        var inFlight = new List<Task>(count);
        var start = Stopwatch.GetTimestamp();
        for (var n = 0; n < count; n++)
        {
            var due = TimeSpan.FromSeconds(n / options.Rate);
            var wait = due - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait, ct);
            var slot = n;
            var late = (Stopwatch.GetElapsedTime(start) - due).TotalMilliseconds;
            inFlight.Add(Task.Run(async () =>
            {
                var at = time.GetUtcNow();
                var watch = Stopwatch.StartNew();
                string? error = null;
                try
                {
                    await Publish(Sent(first + slot), ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    error = e.GetType().Name + ": " + e.Message;
                }
                published[slot] = new PublishedEvent(first + slot, warmup, at, Math.Max(0, late), watch.Elapsed.TotalMilliseconds, error);
            }, ct));
        }
        await Task.WhenAll(inFlight);
        return [.. published.OfType<PublishedEvent>()];
    }

    private ReferralSent Sent(int index)
    {
        var now = time.GetUtcNow();
        // The reference shown in the e-mail is the id's first eight hex digits: the event's number.
        var id = new Guid(index, (short)Random.Shared.Next(), (short)Random.Shared.Next(), Guid.NewGuid().ToByteArray()[8..]);
        return new ReferralSent(id, sender, receiver, "93", "immediate", "intrafamilyViolence", ["coordination--aide-aux-victimes"],
            false, false, now.AddHours(2), now.AddDays(30), null, 2, now);
    }

    private async Task Publish<T>(T message, CancellationToken ct) where T : class, IIntegrationEvent =>
        await bus!.Publish(message, c => c.MessageId = NewId.NextGuid(), ct);

    public async ValueTask DisposeAsync()
    {
        if (bus is not null) await bus.StopAsync(TimeSpan.FromSeconds(10));
    }
}
