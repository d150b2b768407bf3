using System.Net;
using System.Net.Http.Json;
using Coordination.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Coordination.Gateway.Tests;

/// <summary>The gateway with the Portal's cluster on two real backends ("a" and "b") that say who answered.</summary>
public sealed class GatewayWithTwoPortals : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly List<WebApplication> backends = [];
    private readonly int[] ports = [LocalMachine.FreePort(), LocalMachine.FreePort()];

    public async Task InitializeAsync()
    {
        foreach (var (name, port) in new[] { ("a", ports[0]), ("b", ports[1]) })
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            var backend = builder.Build();
            backend.Run(context => context.Response.WriteAsJsonAsync(new Answered(name)));
            await backend.StartAsync();
            backends.Add(backend);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Identity:Authority", TestTokens.Issuer);
        builder.UseSetting("ReverseProxy:Clusters:portal:Destinations:portal-1:Address", $"http://127.0.0.1:{ports[0]}/");
        builder.UseSetting("ReverseProxy:Clusters:portal:Destinations:portal-2:Address", $"http://127.0.0.1:{ports[1]}/");
        // Round robin: with both healthy each gets its turn, so "both used" is certain, not likely (P2C picks at random).
        builder.UseSetting("ReverseProxy:Clusters:portal:LoadBalancingPolicy", "RoundRobin");
        builder.ConfigureTestServices(TestAuthentication.ValidateTestTokens);
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var backend in backends) await backend.DisposeAsync();
    }
}

public sealed record Answered(string Backend);

/// <summary>
/// Issue 23, item 1 (YARP): every cluster has passive health on errors (a destination that fails requests is taken out
/// without waiting for the next probe), active probes of /health, and a policy that never takes the last destination
/// out (HealthyOrPanic: when none is healthy, all are used rather than none, so a probe glitch never empties a service).
/// </summary>
public class HealthPolicyTests(GatewayWithTwoPortals gateway) : IClassFixture<GatewayWithTwoPortals>
{
    [Fact]
    public void Every_cluster_has_passive_health_on_errors_active_probes_and_never_loses_its_last_destination()
    {
        _ = gateway.CreateClient(); // starts the gateway
        var clusters = gateway.Services.GetRequiredService<IProxyStateLookup>().GetClusters().ToList();
        Assert.True(clusters.Count >= 8, $"only {clusters.Count} clusters configured");
        Assert.All(clusters, cluster =>
        {
            var health = cluster.Model.Config.HealthCheck;
            Assert.NotNull(health);
            Assert.True(health.Passive is { Enabled: true, Policy: "TransportFailureRate" },
                $"{cluster.ClusterId}: no passive health on transport errors");
            // /health (readiness) everywhere; /alive for Identity, whose sign-in must not wait for its database's probe.
            Assert.True(health.Active is { Enabled: true, Path: "/health" or "/alive" }, $"{cluster.ClusterId}: no active probe");
            Assert.True(health.AvailableDestinationsPolicy == "HealthyOrPanic",
                $"{cluster.ClusterId}: {health.AvailableDestinationsPolicy ?? "(default)"} could take the last destination out");
        });
    }

    [Fact]
    public async Task An_unhealthy_destination_is_skipped_while_another_is_healthy_and_used_when_none_is()
    {
        var client = gateway.CreateClient();
        var lookup = gateway.Services.GetRequiredService<IProxyStateLookup>();
        var updater = gateway.Services.GetRequiredService<IDestinationHealthUpdater>();
        Assert.True(lookup.TryGetCluster("portal", out var portal));
        var (first, second) = (portal.Destinations["portal-1"], portal.Destinations["portal-2"]);
        try
        {
            // Both healthy: each has its turn
            Assert.Equal(["a", "b"], (await Backends(client, 4)).Distinct().Order());

            // Given portal-1 failed requests (passive health): every request goes to portal-2
            updater.SetPassive(portal, first, DestinationHealth.Unhealthy, TimeSpan.FromMinutes(5));
            await Applied(portal, d => d is [{ DestinationId: "portal-2" }]);
            Assert.Equal(["b"], (await Backends(client, 6)).Distinct());

            // When portal-2 fails too, the cluster is not emptied: none healthy, so all are available (panic), not none
            updater.SetPassive(portal, second, DestinationHealth.Unhealthy, TimeSpan.FromMinutes(5));
            await Applied(portal, d => d.Count == 2);
            // Then the Portal still answers, and passive health follows real requests: the one that answered is healthy again
            var answered = (await Backends(client, 1)).Single();
            await Applied(portal, d => d is [var only] && only.DestinationId == $"portal-{(answered == "a" ? 1 : 2)}"
                                                       && only.Health.Passive == DestinationHealth.Healthy);
        }
        finally
        {
            updater.SetPassive(portal, first, DestinationHealth.Healthy, TimeSpan.Zero);
            updater.SetPassive(portal, second, DestinationHealth.Healthy, TimeSpan.Zero);
        }
    }

    /// <summary>YARP applies a health change to the available destinations in the background: wait for it (bounded).</summary>
    private static async Task Applied(ClusterState cluster, Func<IReadOnlyList<DestinationState>, bool> expected)
    {
        for (var i = 0; i < 100 && !expected(cluster.DestinationsState.AvailableDestinations); i++)
            await Task.Delay(50);
        var available = cluster.DestinationsState.AvailableDestinations;
        Assert.True(expected(available), $"available: {string.Join(", ", available.Select(d => d.DestinationId))}");
    }

    private static async Task<List<string>> Backends(HttpClient client, int requests)
    {
        var answered = new List<string>();
        for (var i = 0; i < requests; i++)
        {
            using var response = await client.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answered.Add((await response.Content.ReadFromJsonAsync<Answered>())!.Backend);
        }
        return answered;
    }
}
