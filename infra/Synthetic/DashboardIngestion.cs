using System.Diagnostics;
using Coordination.Contracts.Referrals;
using Npgsql;

namespace Coordination.Synthetic;

/// <summary>
/// Ingestion rate: whole hand-offs (sent, acknowledged, accepted, first contact, completed) published to the Dashboard's
/// broker as fast as one publisher goes, 64 messages in flight, between the volume's 100 busiest pairs of organisations, then the Dashboard's events table watched every 100 ms
/// until it holds them all. The figure is the Dashboard's own pace: events stored per second between the first and the
/// last one stored, while its queue was never empty for long (the publisher runs ahead of it).
/// </summary>
public static class DashboardIngestion
{
    public const double TargetEventsPerSecond = 2_000;
    private const int InFlight = 64;

    public sealed record Figures(int HandOffs, int Events, double PublishSeconds, double StoreSeconds, double EventsPerSecond,
        double FirstToAllStoredSeconds, int Missing)
    {
        public string Markdown() =>
            $"Ingestion ({Events:N0} events: {HandOffs:N0} whole hand-offs published to the Dashboard's broker, {InFlight} in flight): " +
            $"**{EventsPerSecond:N0} events/s** stored between the first and the last (target ≥ {TargetEventsPerSecond:N0}: " +
            $"{(Missing == 0 && EventsPerSecond >= TargetEventsPerSecond ? "met" : "missed")}); published in {PublishSeconds:F1} s, " +
            $"all stored {FirstToAllStoredSeconds:F1} s after the first publish; {Missing} missing.";
    }

    public static async Task<Figures> RunAsync(Func<object, CancellationToken, Task> publish, string connectionString, int handOffs,
        TextWriter log, CancellationToken ct)
    {
        await using var dashboard = NpgsqlDataSource.Create(connectionString);
        // Between the 100 busiest pairs of organisations of the loaded volume (their kinds are known), in their départements:
        // the totals' cells are spread as national traffic spreads them, not all in one.
        var pairs = new List<(Guid Sender, Guid Receiver, string Departement)>();
        await using (var busiest = dashboard.CreateCommand("select sender_organisation_id, receiver_organisation_id, departement " +
            "from dashboard.mt_doc_referralfacts group by 1, 2, 3 order by count(*) desc limit 100"))
        await using (var reader = await busiest.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) pairs.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2)));
        if (pairs.Count == 0) throw new InvalidOperationException("The Dashboard holds no hand-off to take organisations from: load a volume first.");
        long baseline;
        await using (var last = dashboard.CreateCommand("select coalesce(max(seq_id), 0) from dashboard.mt_events"))
            baseline = (long)(await last.ExecuteScalarAsync(ct))!;
        var messages = new List<object>(handOffs * 5);
        var now = DateTimeOffset.UtcNow;
        var lives = Enumerable.Range(0, handOffs)
            .Select(i => pairs[i % pairs.Count])
            .Select(pair => WholeHandOff(Guid.NewGuid(), pair.Sender, pair.Receiver, pair.Departement, now)).ToList();
        // Interleaved as live traffic is: each hand-off's events in order, many hand-offs under way at once.
        for (var step = 0; step < 5; step++)
            foreach (var chunk in lives.Chunk(200))
                messages.AddRange(chunk.Select(life => life[step]));

        log.WriteLine($"  publishing {messages.Count:N0} events ({handOffs:N0} whole hand-offs) …");
        var started = Stopwatch.GetTimestamp();
        var watching = WatchAsync(dashboard, baseline, messages.Count, ct);
        using (var gate = new SemaphoreSlim(InFlight))
        {
            var publishing = new List<Task>(messages.Count);
            foreach (var message in messages)
            {
                await gate.WaitAsync(ct);
                publishing.Add(PublishOneAsync(message));
            }
            await Task.WhenAll(publishing);

            async Task PublishOneAsync(object message)
            {
                try { await publish(message, ct); }
                finally { gate.Release(); }
            }
        }
        var publishSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var (count, firstSeen, lastSeen) = await watching;
        var storeSeconds = (lastSeen - firstSeen).TotalSeconds;
        var figures = new Figures(handOffs, messages.Count, publishSeconds, storeSeconds,
            storeSeconds > 0 ? count / storeSeconds : double.NaN, lastSeen.TotalSeconds, messages.Count - (int)count);
        log.WriteLine($"  {"ingestion (events stored per second)",-45} {figures.EventsPerSecond,7:N0} ev/s | published in {publishSeconds:F1} s, " +
                      $"all stored {figures.FirstToAllStoredSeconds:F1} s after the first publish | missing {figures.Missing}");
        return figures;
    }

    /// <summary>Until <paramref name="expected"/> events past the baseline are stored (or 5 minutes): the elapsed times of
    /// the first and last change seen.</summary>
    private static async Task<(long Count, TimeSpan FirstSeen, TimeSpan LastSeen)> WatchAsync(NpgsqlDataSource dashboard, long baseline,
        int expected, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        TimeSpan? firstSeen = null;
        var lastSeen = TimeSpan.Zero;
        long count = 0;
        while (count < expected && Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(5))
        {
            await Task.Delay(100, ct);
            var stored = await StoredAfterAsync(dashboard, baseline, ct);
            if (stored > count)
            {
                firstSeen ??= Stopwatch.GetElapsedTime(started);
                lastSeen = Stopwatch.GetElapsedTime(started);
                count = stored;
            }
        }
        return (count, firstSeen ?? TimeSpan.Zero, lastSeen);
    }

    private static async Task<long> StoredAfterAsync(NpgsqlDataSource dashboard, long baseline, CancellationToken ct)
    {
        await using var command = dashboard.CreateCommand("select count(*) from dashboard.mt_events where seq_id > $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = baseline });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// One whole hand-off as Referrals publishes it: sent at <paramref name="sentAt"/>, acknowledged, accepted, first
    /// contact, completed (source versions 1 to 5). Also what the Dashboard's concurrent-delivery tests publish.
    /// </summary>
    public static IReferralEvent[] WholeHandOff(Guid id, Guid sender, Guid receiver, string departement, DateTimeOffset sentAt) =>
    [
        new ReferralSent(id, sender, receiver, departement, "standard", "intrafamily-violence", ["famille--violences-intrafamiliales"],
            false, false, sentAt.AddDays(5), sentAt.AddDays(30), null, 1, sentAt),
        new ReferralAcknowledged(id, sender, receiver, departement, "standard", 2, sentAt.AddMinutes(30)),
        new ReferralAccepted(id, sender, receiver, departement, "standard", 3, sentAt.AddHours(1)),
        new ReferralFirstContactRecorded(id, sender, receiver, departement, "standard", sentAt.AddHours(4), 4, sentAt.AddHours(4)),
        new ReferralCompleted(id, sender, receiver, departement, "standard", "helped", 5, sentAt.AddDays(3)),
    ];
}
