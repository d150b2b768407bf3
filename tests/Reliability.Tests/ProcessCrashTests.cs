using System.Diagnostics;
using System.Net;
using Coordination.ServiceDefaults.Security;
using Xunit;
using Xunit.Abstractions;

namespace Coordination.Reliability.Tests;

[Collection(FaultCollection.Name)]
public sealed class ProcessCrashTests(FaultPlatform platform, ITestOutputHelper output)
{
    [Fact]
    public async Task The_Dashboard_killed_mid_stream_loses_nothing_and_counts_nothing_twice()
    {
        await platform.HealAsync();
        await using var load = new HandoffLoad(platform);
        await Task.Delay(TimeSpan.FromSeconds(3));

        platform.Dashboard.Kill();
        var killedAt = DateTime.UtcNow;
        await Task.Delay(Soak.Window(TimeSpan.FromSeconds(4)));
        var restart = Stopwatch.StartNew();
        await platform.Dashboard.StartAsync();
        var restartedAt = DateTime.UtcNow;
        var startTook = restart.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2));
        await load.StopAsync();

        Assert.Equal(0, load.Count(a => a.Status != 201));
        var caughtUp = await platform.AssertDashboardCountsEachAcceptedOnce(load.AcceptedIds, TimeSpan.FromSeconds(60));
        output.WriteLine($"sent {load.Answers.Count}, accepted {load.AcceptedIds.Count} (of which {load.Count(a => a.At > killedAt && a.At < restartedAt && a.Status == 201)} " +
                         $"while the Dashboard was dead); Dashboard down {(restartedAt - killedAt).TotalSeconds:0.0} s (start took {startTook.TotalSeconds:0.0} s); " +
                         $"complete {(DateTime.UtcNow - restartedAt).TotalSeconds:0.0} s after its restart (last wait {caughtUp.TotalSeconds:0.0} s)");
    }

    [Fact]
    public async Task Referrals_killed_between_append_and_publish_publishes_the_backlog_after_restart()
    {
        await platform.HealAsync();
        // The broker blocks publishers (a memory alarm): hand-offs are appended and answered 201, but the
        // subscription's page waits for publisher confirms that do not come. That is "between append and publish".
        await platform.Servers.RabbitMqCtl("set_vm_memory_high_watermark", "absolute", "1");
        List<Guid> accepted;
        HashSet<Guid> reachedBeforeKill;
        try
        {
            await using (var load = new HandoffLoad(platform))
            {
                await Task.Delay(Soak.Window(TimeSpan.FromSeconds(4)));
                await load.StopAsync();
                Assert.Equal(0, load.Count(a => a.Status != 201));
                accepted = load.AcceptedIds;
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
            reachedBeforeKill = await platform.DashboardReferrals();
            platform.Referrals.Kill();
        }
        finally
        {
            await platform.Servers.RabbitMqCtl("set_vm_memory_high_watermark", "0.4");
        }
        var backlog = accepted.Count(id => !reachedBeforeKill.Contains(id));
        Assert.True(backlog > 0, "no backlog at the kill: the test did not test anything");

        var restart = Stopwatch.StartNew();
        await platform.Referrals.StartAsync();
        var startTook = restart.Elapsed;
        var caughtUp = await platform.AssertDashboardCountsEachAcceptedOnce(accepted, TimeSpan.FromSeconds(60));

        // Duplicates are dropped downstream: the operator's replay publishes every event again, nothing is counted twice.
        var before = await platform.Scalar<long>("dashboard", "SELECT count(*) FROM dashboard.mt_doc_processedmessage");
        int total;
        lock (platform.Accepted) total = platform.Accepted.Count;
        // Statistics lag: wait until they show at least the first deliveries, so the difference below counts repeats only.
        long deliveredBefore = 0;
        await FaultPlatform.Eventually(async () => (deliveredBefore = await platform.QueuePublishedCount("dashboard-referral-events")) >= total,
            TimeSpan.FromSeconds(15), "broker statistics up to date");
        using var admin = platform.Client(platform.Referrals, platform.Oidc.Token(Roles.Admin, userId: "admin-faults"));
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync("/api/referrals/admin/integration-events/replay", null)).StatusCode);
        await platform.WaitUntilReferralsPublishedEverything(TimeSpan.FromSeconds(60));
        // The broker's own statistics show the repeats did reach the Dashboard's queue (they lag by up to 5 s).
        long republished = 0;
        await FaultPlatform.Eventually(async () => (republished = await platform.QueuePublishedCount("dashboard-referral-events") - deliveredBefore) >= total,
            TimeSpan.FromSeconds(30), () => $"only {republished} of {total} ReferralSent delivered again");
        await platform.WaitUntilReferralsPublishedEverything(TimeSpan.FromSeconds(30));
        await platform.AssertDashboardCountsEachAcceptedOnce(accepted, TimeSpan.FromSeconds(10));
        Assert.Equal(before, await platform.Scalar<long>("dashboard", "SELECT count(*) FROM dashboard.mt_doc_processedmessage"));

        output.WriteLine($"accepted {accepted.Count}, unpublished at the kill {backlog}; after the restart of Referrals " +
                         $"(start {startTook.TotalSeconds:0.0} s) the Dashboard had them all in {caughtUp.TotalSeconds:0.0} s more, none twice; " +
                         $"then a replay delivered {republished} messages again to the Dashboard's queue: none stored twice");
    }
}
