using System.Diagnostics;

namespace Coordination.Benchmarks;

/// <summary>
/// Sent → visible: the time from the start of the sender's POST to the end of the first receiver inbox query
/// that lists the new referral. Samples: <c>Sent</c> POSTs answered 201; <c>Visible</c> of those, found within 10 s.
/// </summary>
public sealed record VisibilityResult(
    int Requested, double Rate, int Sent, int SendErrors, int Visible, int NotVisible, int FoundOnFirstPoll, int InboxErrors,
    LatencyStats SentToVisible, LatencyStats Send, LatencyStats InboxQuery, string Method,
    int InDashboard = 0, LatencyStats? SentToDashboard = null, string? DashboardMethod = null);

public static class InboxVisibility
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollPause = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// How a sample is found. The server stamps CreatedAt after the client read its start time, on the same host
    /// clock; the 100 ms margin only guards against clock adjustments.
    /// </summary>
    public const string Method =
        "as the receiver, GET /api/referrals/inbox?status=sent&urgency=standard&pageSize=100&from=<send start − 100 ms> " +
        "(next pages while full) until the new id is listed; again every 10 ms if not, give up after 10 s";

    /// <summary>
    /// Sent → reflected in the Dashboard: the hand-off's row in the Dashboard's read model, which every hand-off
    /// indicator aggregates at query time (no further lag between this row and the views).
    /// </summary>
    public const string DashboardMethod =
        "from the start of the POST until dashboard.mt_doc_referralfacts holds the referral with its send time (the table the " +
        "indicators aggregate when queried), checked every 20 ms, give up after 10 s";

    private sealed record Sample(long SendTicks, bool Sent, long VisibleTicks, bool Visible, int Polls, List<long> PollTicks, int PollErrors,
        long DashboardTicks = 0);

    public static async Task<VisibilityResult> RunAsync(PlatformClient client, Uri gateway, BenchOptions options, CancellationToken ct)
    {
        await using var dashboard = Npgsql.NpgsqlDataSource.Create(new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = options.PgHost, Port = options.PgPort, Username = options.PgUser, Database = options.DashboardDatabase, MaxPoolSize = 20,
            Password = Environment.GetEnvironmentVariable("PGPASSWORD"),
        }.ConnectionString);
        var interval = Stopwatch.Frequency / options.InboxRate;
        var start = Stopwatch.GetTimestamp();
        var tasks = new List<Task<Sample>>(options.InboxSamples);
        for (var i = 0; i < options.InboxSamples && !ct.IsCancellationRequested; i++)
        {
            var due = start + (long)(i * interval);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0) await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, SendLoad.Ms(wait))), ct);
            tasks.Add(OneAsync(client, gateway, dashboard, ct));
        }
        var samples = await Task.WhenAll(tasks);

        var sent = samples.Where(s => s.Sent).ToList();
        var visible = sent.Where(s => s.Visible).ToList();
        return new VisibilityResult(
            options.InboxSamples, options.InboxRate, sent.Count, samples.Length - sent.Count, visible.Count, sent.Count - visible.Count,
            visible.Count(s => s.Polls == 1), samples.Sum(s => s.PollErrors),
            LatencyStats.FromTicks([.. visible.Select(s => s.VisibleTicks)]),
            LatencyStats.FromTicks([.. sent.Select(s => s.SendTicks)]),
            LatencyStats.FromTicks([.. samples.SelectMany(s => s.PollTicks)]),
            Method,
            sent.Count(s => s.DashboardTicks > 0), LatencyStats.FromTicks([.. sent.Where(s => s.DashboardTicks > 0).Select(s => s.DashboardTicks)]),
            DashboardMethod);
    }

    private static async Task<long> InDashboardAsync(Npgsql.NpgsqlDataSource dashboard, Guid id, long t0, CancellationToken ct)
    {
        var sentAt = Stopwatch.GetTimestamp();
        while (!ct.IsCancellationRequested && Stopwatch.GetElapsedTime(sentAt) < GiveUpAfter)
        {
            try
            {
                await using var command = dashboard.CreateCommand("select 1 from dashboard.mt_doc_referralfacts where id = $1 and sent_at is not null");
                command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
                if (await command.ExecuteScalarAsync(ct) is not null) return Stopwatch.GetTimestamp() - t0;
            }
            catch (Npgsql.PostgresException)
            {
                // The table appears with the Dashboard's first hand-off.
            }
            await Task.Delay(20, ct);
        }
        return 0;
    }

    private static async Task<Sample> OneAsync(PlatformClient client, Uri gateway, Npgsql.NpgsqlDataSource dashboard, CancellationToken ct)
    {
        await Task.Yield();
        var wallStart = DateTimeOffset.UtcNow;
        var t0 = Stopwatch.GetTimestamp();
        var (outcome, id) = await client.SendAsync(gateway, readId: true, ct);
        var sentAt = Stopwatch.GetTimestamp();
        if (!outcome.IsCreated || id == Guid.Empty)
            return new Sample(sentAt - t0, false, 0, false, 0, [], 0);

        var inDashboard = InDashboardAsync(dashboard, id, t0, ct);
        var pollTicks = new List<long>(2);
        var errors = 0;
        while (!ct.IsCancellationRequested)
        {
            var p0 = Stopwatch.GetTimestamp();
            var (poll, found, _) = await client.InboxContainsAsync(gateway, id, wallStart - TimeSpan.FromMilliseconds(100), ct);
            var p1 = Stopwatch.GetTimestamp();
            pollTicks.Add(p1 - p0);
            if (poll.Status != 200) errors++;
            if (found) return new Sample(sentAt - t0, true, p1 - t0, true, pollTicks.Count, pollTicks, errors, await inDashboard);
            if (Stopwatch.GetElapsedTime(sentAt) > GiveUpAfter) break;
            await Task.Delay(PollPause, ct);
        }
        return new Sample(sentAt - t0, true, 0, false, pollTicks.Count, pollTicks, errors, await inDashboard);
    }
}
