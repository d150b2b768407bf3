using Coordination.Testing;
using System.Diagnostics;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace Coordination.Reliability.Tests;

[Collection(FaultCollection.Name)]
public sealed class BrokerDownTests(FaultPlatform platform, ITestOutputHelper output)
{
    [Fact]
    public async Task Hand_offs_accepted_while_RabbitMQ_is_killed_are_all_published_and_counted_once_after_it_restarts()
    {
        await platform.HealAsync();
        await using var load = new HandoffLoad(platform);
        await FaultPlatform.Eventually(() => Task.FromResult(load.Count(a => a.Status == 201) >= 20), TimeSpan.FromSeconds(30),
            "hand-offs flowing before the fault");

        // Given hand-offs flowing, when the broker dies (SIGKILL)...
        platform.Servers.KillRabbitMq();
        var killedAt = DateTime.UtcNow;
        // It stays down until the outage is seen from both sides: hand-offs still accepted, /health reporting the broker
        // (Degraded, still ready) on both services, and the outbox behind.
        var health = await HealthWhileDown(() => load.Count(a => a.At > killedAt && a.Status == 201) >= 10);
        var dashboardWhileDown = await platform.DashboardReferrals();
        var acceptedWhileDown = load.Count(a => a.At > killedAt && a.Status == 201);

        // ...and comes back (a fresh boot of the same node: quorum queues recovered from disk).
        var restart = Stopwatch.StartNew();
        await platform.Servers.RestartAsync();
        var restartedAt = DateTime.UtcNow;
        var restartTook = restart.Elapsed;
        await FaultPlatform.Eventually(() => Task.FromResult(load.Count(a => a.At > restartedAt && a.Status == 201) >= 20), TimeSpan.FromSeconds(30),
            "hand-offs flowing again after the restart");
        await load.StopAsync();

        // Then: the API kept accepting, every service stayed ready (200, never 503) while /health said the broker was
        // down (Degraded), the Dashboard was late (the outbox held what it had not published), and every 201 reached the
        // Dashboard once.
        Assert.True(acceptedWhileDown > 0, "no hand-off was accepted while RabbitMQ was down");
        Assert.Equal(0, load.Count(a => a.Status != 201));
        Assert.All(health, h => Assert.Equal(200, h.Status));
        Assert.Contains(health, h => h.Service == "referrals" && h.BrokerDown && h.Status == 200);
        Assert.Contains(health, h => h.Service == "dashboard" && h.BrokerDown && h.Status == 200);
        Assert.Contains(health, h => h.Service == "referrals" && h.OutboxLag > 0);
        Assert.False(load.AcceptedIds.All(dashboardWhileDown.Contains), "the Dashboard had every hand-off while the broker was down");
        var caughtUp = await platform.AssertDashboardCountsEachAcceptedOnce(load.AcceptedIds, TimeSpan.FromSeconds(60));
        var healthy = await HealthyAgain(platform.Referrals);

        output.WriteLine($"sent {load.Answers.Count}, accepted {load.AcceptedIds.Count} (of which {acceptedWhileDown} while the broker was down), " +
                         $"non-201 {load.Count(a => a.Status != 201)}; broker down {(restartedAt - killedAt).TotalSeconds:0.0} s " +
                         $"(restart took {restartTook.TotalSeconds:0.0} s); Dashboard complete {(DateTime.UtcNow - restartedAt).TotalSeconds:0.0} s after the broker was back " +
                         $"(last wait {caughtUp.TotalSeconds:0.0} s); Referrals /health healthy again after {healthy.TotalSeconds:0.0} s more; " +
                         $"health probes while down: " +
                         $"{string.Join(", ", health.Select(h => $"{h.Service} {h.Status}{(h.BrokerDown ? " broker down" : "")}"))}; " +
                         $"largest outbox lag {health.Max(h => h.OutboxLag)} events");
    }

    private sealed record Probe(string Service, int Status, bool BrokerDown, long OutboxLag);

    /// <summary>
    /// /health of Referrals and the Dashboard, polled until both report the broker down, Referrals' outbox is behind and
    /// <paramref name="acceptedEnough"/> holds (30 s at most; a soak also keeps the broker down for its whole window).
    /// Every probe is returned, for the assertions.
    /// </summary>
    private async Task<List<Probe>> HealthWhileDown(Func<bool> acceptedEnough)
    {
        var services = new[] { ("referrals", platform.Referrals), ("dashboard", platform.Dashboard) };
        var clients = services.Select(s => (Name: s.Item1, Client: platform.Client(s.Item2, timeout: TimeSpan.FromSeconds(10)))).ToList();
        var probes = new List<Probe>();
        var down = Stopwatch.StartNew();
        var soakWindow = Soak.Enabled ? Soak.Window(TimeSpan.FromSeconds(8)) : TimeSpan.Zero;
        var deadline = soakWindow + TimeSpan.FromSeconds(30);
        while (down.Elapsed < deadline)
        {
            foreach (var (name, client) in clients)
                probes.Add(await ProbeHealth(name, client));
            var seen = probes.Any(p => p.Service == "referrals" && p.BrokerDown)
                && probes.Any(p => p.Service == "dashboard" && p.BrokerDown) && probes.Any(p => p.OutboxLag > 0);
            if (seen && acceptedEnough() && down.Elapsed >= soakWindow) break;
            await Task.Delay(250);
        }
        foreach (var (_, client) in clients) client.Dispose();
        return probes;
    }

    private static async Task<Probe> ProbeHealth(string service, HttpClient client)
    {
        using var response = await client.GetAsync("/health");
        var checks = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        // MassTransit's bus check: Degraded, not Unhealthy (the error-queue check may be Degraded for parked messages too).
        var brokerDown = checks.GetProperty("masstransit-bus").GetProperty("status").GetString() == "Degraded";
        var lag = checks.TryGetProperty("async-daemon", out var daemon) && daemon.TryGetProperty("data", out var data)
            && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("integration-events", out var n) ? n.GetInt64() : 0;
        return new Probe(service, (int)response.StatusCode, brokerDown, lag);
    }

    private async Task<TimeSpan> HealthyAgain(ServiceProcess service)
    {
        using var client = platform.Client(service, timeout: TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();
        // /health stayed 200 throughout: "healthy again" is the bus check back to Healthy.
        await FaultPlatform.Eventually(async () => !(await ProbeHealth(service.Name, client)).BrokerDown, TimeSpan.FromSeconds(30),
            () => $"{service.Name} /health still reports the broker down");
        return clock.Elapsed;
    }
}
