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
        await using var load = new HandoffLoad(platform);
        await FaultPlatform.Eventually(() => Task.FromResult(load.Count(a => a.Status == 201) >= 20), TimeSpan.FromSeconds(30),
            "hand-offs flowing before the fault");

        // Given hand-offs flowing, when the broker dies (SIGKILL)...
        platform.Servers.KillRabbitMq();
        var killedAt = DateTime.UtcNow;
        // It stays down until the outage is seen from both sides: hand-offs still accepted, /health reporting the broker.
        var health = await HealthWhileDown(() => load.Count(a => a.At > killedAt && a.Status == 201) >= 10);
        var acceptedWhileDown = load.Count(a => a.At > killedAt && a.Status == 201);

        // ...and comes back (a fresh boot of the same node: quorum queues recovered from disk).
        var restart = Stopwatch.StartNew();
        await platform.Servers.RestartAsync();
        var restartedAt = DateTime.UtcNow;
        var restartTook = restart.Elapsed;
        await FaultPlatform.Eventually(() => Task.FromResult(load.Count(a => a.At > restartedAt && a.Status == 201) >= 20), TimeSpan.FromSeconds(30),
            "hand-offs flowing again after the restart");
        await load.StopAsync();

        // Then: the API kept accepting, /health said the broker was down, and every 201 reached the Dashboard once.
        Assert.True(acceptedWhileDown > 0, "no hand-off was accepted while RabbitMQ was down");
        Assert.Equal(0, load.Count(a => a.Status != 201));
        Assert.Contains(health, h => h.Status == 503 && h.BrokerDown);
        var caughtUp = await platform.AssertDashboardCountsEachAcceptedOnce(load.AcceptedIds, TimeSpan.FromSeconds(60));
        var healthy = await HealthyAgain(platform.Referrals);

        output.WriteLine($"sent {load.Answers.Count}, accepted {load.AcceptedIds.Count} (of which {acceptedWhileDown} while the broker was down), " +
                         $"non-201 {load.Count(a => a.Status != 201)}; broker down {(restartedAt - killedAt).TotalSeconds:0.0} s " +
                         $"(restart took {restartTook.TotalSeconds:0.0} s); Dashboard complete {(DateTime.UtcNow - restartedAt).TotalSeconds:0.0} s after the broker was back " +
                         $"(last wait {caughtUp.TotalSeconds:0.0} s); Referrals /health healthy again after {healthy.TotalSeconds:0.0} s more; " +
                         $"health probes while down: {string.Join(", ", health.Select(h => h.Status))}");
    }

    private sealed record Probe(int Status, bool BrokerDown);

    /// <summary>
    /// /health, polled until it reports the broker down and <paramref name="acceptedEnough"/> holds (30 s at most; a soak
    /// also keeps the broker down for its whole window). Every probe is returned, for the assertions.
    /// </summary>
    private async Task<List<Probe>> HealthWhileDown(Func<bool> acceptedEnough)
    {
        using var client = platform.Client(platform.Referrals, timeout: TimeSpan.FromSeconds(10));
        var probes = new List<Probe>();
        var down = Stopwatch.StartNew();
        var soakWindow = Soak.Enabled ? Soak.Window(TimeSpan.FromSeconds(8)) : TimeSpan.Zero;
        var deadline = soakWindow + TimeSpan.FromSeconds(30);
        while (down.Elapsed < deadline)
        {
            using var response = await client.GetAsync("/health");
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            // MassTransit's bus check, and our error-queue check that cannot reach the broker either.
            var brokerDown = body.GetProperty("checks").EnumerateObject()
                .Any(c => c.Name is "masstransit-bus" or "error-queues" && c.Value.GetProperty("status").GetString() == "Unhealthy");
            probes.Add(new Probe((int)response.StatusCode, brokerDown));
            if (probes.Any(p => p.Status == 503 && p.BrokerDown) && acceptedEnough() && down.Elapsed >= soakWindow) break;
            await Task.Delay(250);
        }
        return probes;
    }

    private async Task<TimeSpan> HealthyAgain(ServiceProcess service)
    {
        using var client = platform.Client(service, timeout: TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();
        await FaultPlatform.Eventually(async () => (await client.GetAsync("/health")).IsSuccessStatusCode, TimeSpan.FromSeconds(30),
            () => $"{service.Name} /health not healthy again");
        return clock.Elapsed;
    }
}
