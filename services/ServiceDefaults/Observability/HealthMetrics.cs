using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Coordination.ServiceDefaults.Observability;

/// <summary>
/// The health report as OpenTelemetry gauges, refreshed by the health-check publisher (every 15 s) whether or not
/// anyone probes <c>/health</c>: what readiness no longer says (the broker, error queues, the outbox) is watched here.
/// <list type="bullet">
/// <item><c>coordination.health.status</c> per check: 0 Healthy, 1 Degraded, 2 Unhealthy.</item>
/// <item><c>coordination.broker.connected</c>: 1 while MassTransit's bus is connected to RabbitMQ, 0 otherwise.</item>
/// <item><c>coordination.error_queue.messages</c> per <c>&lt;queue&gt;_error</c>: messages waiting for an operator.</item>
/// <item><c>coordination.async_daemon.lag</c> per projection or subscription (<c>integration-events</c> = the outbox), in events.</item>
/// </list>
/// </summary>
public sealed class HealthMetrics : IHealthCheckPublisher, IDisposable
{
    public const string MeterName = "Coordination.Health";
    public const string BrokerCheck = "masstransit-bus";
    public const string ErrorQueuesCheck = "error-queues";
    public const string AsyncDaemonCheck = "async-daemon";

    private readonly Meter meter = new(MeterName);
    private volatile HealthReport? last;

    public HealthMetrics()
    {
        meter.CreateObservableGauge("coordination.health.status", () => Entries().Select(e =>
            new Measurement<int>(Level(e.Value.Status), new KeyValuePair<string, object?>("check", e.Key))),
            description: "Health of each check: 0 Healthy, 1 Degraded, 2 Unhealthy");
        meter.CreateObservableGauge("coordination.broker.connected", () => Entries().Where(e => e.Key == BrokerCheck)
            .Select(e => new Measurement<int>(e.Value.Status == HealthStatus.Healthy ? 1 : 0)),
            description: "1 while the bus is connected to RabbitMQ");
        meter.CreateObservableGauge("coordination.error_queue.messages", () => Data(ErrorQueuesCheck).Select(d =>
            new Measurement<long>(Convert.ToInt64(d.Value, System.Globalization.CultureInfo.InvariantCulture),
                new KeyValuePair<string, object?>("queue", d.Key))),
            unit: "{message}", description: "Messages that failed every retry, per error queue");
        meter.CreateObservableGauge("coordination.async_daemon.lag", () => Data(AsyncDaemonCheck).Select(d =>
            new Measurement<long>(Convert.ToInt64(d.Value, System.Globalization.CultureInfo.InvariantCulture),
                new KeyValuePair<string, object?>("shard", d.Key))),
            unit: "{event}", description: "Events not yet processed by each projection or subscription (integration-events: the outbox)");
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        last = report;
        return Task.CompletedTask;
    }

    /// <summary>The last report published (null before the first one).</summary>
    public HealthReport? Last => last;

    private IEnumerable<KeyValuePair<string, HealthReportEntry>> Entries() =>
        last?.Entries ?? (IEnumerable<KeyValuePair<string, HealthReportEntry>>)[];

    private IEnumerable<KeyValuePair<string, object>> Data(string check) =>
        last is { } report && report.Entries.TryGetValue(check, out var entry)
            ? entry.Data.Where(d => d.Value is int or long or uint)
            : [];

    private static int Level(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => 0,
        HealthStatus.Degraded => 1,
        _ => 2,
    };

    public void Dispose() => meter.Dispose();
}
