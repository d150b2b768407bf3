using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using Xunit;
using Xunit.Abstractions;

namespace Coordination.Reliability.Tests;

[Collection(FaultCollection.Name)]
public sealed class PostgresRestartTests(FaultPlatform platform, ITestOutputHelper output)
{
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task While_PostgreSQL_crashes_and_restarts_requests_fail_fast_with_503_and_no_acknowledged_write_is_lost()
    {
        await using var load = new HandoffLoad(platform, requestTimeout: TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(2));
        // Messages wait in the Dashboard's queue when the database goes: its consumer is held up by a lock first,
        // so that the outage outlasts the consumer's ordinary retries (about 9 s) with messages in hand.
        var blocker = new NpgsqlConnection(platform.Servers.Postgres("dashboard") + ";Pooling=false");
        await blocker.OpenAsync();
        await using (var lockTable = new NpgsqlCommand("BEGIN; LOCK TABLE dashboard.mt_doc_processedmessage IN ACCESS EXCLUSIVE MODE;", blocker))
            await lockTable.ExecuteNonQueryAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var backlog = await platform.QueueDepth("dashboard-referral-events");

        // PostgreSQL crashes (immediate shutdown: every connection dropped, crash recovery at the next start)...
        platform.Servers.CrashPostgres();
        var crashedAt = DateTime.UtcNow;
        await FaultPlatform.Eventually(async () => !await platform.Servers.PostgresAcceptsConnections(), TimeSpan.FromSeconds(10), "PostgreSQL still up");
        await blocker.DisposeAsync(); // its connection died with the server (and the lock with it)
        await Task.Delay(Soak.Window(TimeSpan.FromSeconds(8)));
        // ...and is started again; the services are not restarted.
        await platform.Servers.RestartAsync();
        var restartedAt = DateTime.UtcNow;
        var recovered = Stopwatch.StartNew();
        await FaultPlatform.Eventually(() => Task.FromResult(load.Answers.Any(a => a.At > restartedAt && a.Status == 201)),
            TimeSpan.FromSeconds(30), "Referrals accepts hand-offs again");
        var acceptingAgainAfter = recovered.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2));
        await load.StopAsync();

        var failures = load.Answers.Where(a => a.Status != 201).ToList();
        var summary = string.Join("; ", failures.GroupBy(a => a.Status).Select(g => $"{g.Key} ×{g.Count()}: {g.First().Error}"));
        Assert.True(failures.All(a => a.Status == 503 && a.ProblemDetail), $"not all failures are 503 problem details: {summary}");
        Assert.True(failures.All(a => a.Took < FailFast), $"a failure took {failures.Max(a => a.Took).TotalSeconds:0.0} s");
        Assert.True(failures.Count > 0, "no request hit the outage: the test did not test anything");

        // Every 201 is in the event store (durable before the answer) and reaches the Dashboard once.
        var accepted = load.AcceptedIds;
        var stored = await platform.Column<Guid>("referrals", "SELECT id FROM referrals.mt_streams WHERE id = ANY(@ids)",
            new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = accepted.ToArray() });
        Assert.Equal(accepted.Count, stored.Count);
        var caughtUp = await platform.AssertDashboardCountsEachAcceptedOnce(accepted, TimeSpan.FromSeconds(60));
        // ...without any message parked for an operator: an outage is waited out, not treated as a poison message
        // (before the fix, a message in hand went to the error queue after ~9 s of retries).
        Assert.Equal(0u, await platform.QueueDepth("dashboard-referral-events_error"));

        output.WriteLine($"sent {load.Answers.Count}, accepted {accepted.Count} (all stored), failed {failures.Count} ({summary}); " +
                         $"slowest failure {failures.Max(a => a.Took).TotalMilliseconds:0} ms, slowest answer {load.Answers.Max(a => a.Took).TotalMilliseconds:0} ms; " +
                         $"PostgreSQL down {(restartedAt - crashedAt).TotalSeconds:0.0} s with {backlog} messages waiting in the Dashboard's queue; Referrals accepting again {acceptingAgainAfter.TotalSeconds:0.0} s after the restart; " +
                         $"Dashboard complete {caughtUp.TotalSeconds:0.0} s after the load stopped");
    }
}
