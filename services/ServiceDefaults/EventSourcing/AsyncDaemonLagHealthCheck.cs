using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Coordination.ServiceDefaults.EventSourcing;

/// <summary>
/// <c>/health</c> → <c>async-daemon</c>: how many events each asynchronous projection and subscription is behind the
/// store's high-water mark. The <c>integration-events</c> subscription is the outbox: while RabbitMQ is down its lag
/// grows and the service keeps accepting commands. Degraded (never Unhealthy) above <c>Health:MaxEventLag</c> (500).
/// </summary>
public sealed class AsyncDaemonLagHealthCheck(IDocumentStore store, IConfiguration configuration) : IHealthCheck
{
    private const string HighWaterMark = "HighWaterMark";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var maxLag = configuration.GetValue("Health:MaxEventLag", 500L);
        var progress = await store.Advanced.AllProjectionProgress(token: cancellationToken);
        var highWater = progress.FirstOrDefault(p => p.ShardName == HighWaterMark)?.Sequence ?? 0;
        var lags = new Dictionary<string, object>();
        foreach (var shard in progress.Where(p => p.ShardName != HighWaterMark))
            lags[ShardKey(shard.ShardName)] = Math.Max(0, highWater - shard.Sequence);
        var behind = lags.Where(l => (long)l.Value > maxLag).Select(l => l.Key).ToList();
        return behind.Count == 0
            ? HealthCheckResult.Healthy($"Projections et abonnements à jour (retard ≤ {maxLag} événements).", lags)
            : HealthCheckResult.Degraded($"En retard de plus de {maxLag} événements : {string.Join(", ", behind)}.", data: lags);
    }

    /// <summary>"integration-events:All" → "integration-events": the projection or subscription, without its shard suffix.</summary>
    public static string ShardKey(string shardName) => shardName.Split(':')[0];
}
