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
        await platform.HealAsync();
        var parkedBefore = await platform.QueueDepth("dashboard-referral-events_error");
        await using var load = new HandoffLoad(platform, requestTimeout: TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(2));
        // The Dashboard's consumer has a message in hand when the database goes: a trigger holds its insert
        // (looping while a row of faults_hold exists) so that the outage outlasts its ordinary retries (about 9 s).
        await platform.Sql("dashboard", """
            CREATE TABLE IF NOT EXISTS dashboard.faults_hold (x int);
            INSERT INTO dashboard.faults_hold VALUES (1);
            CREATE OR REPLACE FUNCTION dashboard.faults_hold_insert() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN WHILE EXISTS (SELECT FROM dashboard.faults_hold) LOOP PERFORM pg_sleep(0.1); END LOOP; RETURN NEW; END $$;
            CREATE TRIGGER faults_hold_insert BEFORE INSERT ON dashboard.mt_events
                FOR EACH ROW EXECUTE FUNCTION dashboard.faults_hold_insert();
            """);
        await FaultPlatform.Eventually(async () => await platform.Scalar<long>("postgres",
                "SELECT count(*) FROM pg_stat_activity WHERE datname = 'dashboard' AND wait_event = 'PgSleep'") > 0,
            TimeSpan.FromSeconds(15), "the Dashboard's consumer held in its insert");

        // PostgreSQL crashes (immediate shutdown: every connection dropped, crash recovery at the next start)...
        platform.Servers.CrashPostgres();
        var crashedAt = DateTime.UtcNow;
        await FaultPlatform.Eventually(async () => !await platform.Servers.PostgresAcceptsConnections(), TimeSpan.FromSeconds(10), "PostgreSQL still up");
        // Readiness is PostgreSQL: /health answers 503 (the gateway and Kubernetes stop routing), /alive still 200.
        using (var probe = platform.Client(platform.Referrals, timeout: TimeSpan.FromSeconds(15)))
        {
            using var ready = await probe.GetAsync("/health");
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var check = System.Text.Json.JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement
                .GetProperty("checks").GetProperty("postgresql");
            Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
            Assert.True((await probe.GetAsync("/alive")).IsSuccessStatusCode, "/alive failed while only PostgreSQL was down");
        }
        await Task.Delay(Soak.Window(TimeSpan.FromSeconds(15))); // longer than the ordinary retries of a consumer (~9 s)
        // ...and is started again; the services are not restarted.
        await platform.Servers.RestartAsync();
        var restartedAt = DateTime.UtcNow;
        await platform.Sql("dashboard", "DELETE FROM dashboard.faults_hold"); // lets go of the consumer (no lock needed)
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
        Assert.Equal(parkedBefore, await platform.QueueDepth("dashboard-referral-events_error"));
        await platform.Sql("dashboard",
            "DROP TRIGGER faults_hold_insert ON dashboard.mt_events; DROP FUNCTION dashboard.faults_hold_insert(); DROP TABLE dashboard.faults_hold;");

        output.WriteLine($"sent {load.Answers.Count}, accepted {accepted.Count} (all stored), failed {failures.Count} ({summary}); " +
                         $"slowest failure {failures.Max(a => a.Took).TotalMilliseconds:0} ms, slowest answer {load.Answers.Max(a => a.Took).TotalMilliseconds:0} ms; " +
                         $"PostgreSQL down {(restartedAt - crashedAt).TotalSeconds:0.0} s with a message in the Dashboard's hands; Referrals accepting again {acceptingAgainAfter.TotalSeconds:0.0} s after the restart; " +
                         $"Dashboard complete {caughtUp.TotalSeconds:0.0} s after the load stopped");
    }
}
