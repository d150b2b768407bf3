using System.Diagnostics.Metrics;
using Coordination.ServiceDefaults.Observability;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit;

namespace Coordination.Operations.Tests;

/// <summary>
/// What readiness no longer says is watched through gauges (docs/operations.md, "Health, readiness and liveness"): an
/// operator's alert on "broker disconnected", "a message parked in an error queue" or "the outbox falling behind" reads
/// these. The health report a service publishes must come out as those gauges, with the figures of its details.
/// </summary>
public class HealthGaugesTests
{
    [Fact]
    public async Task A_published_health_report_is_read_as_the_gauges_operators_alert_on()
    {
        using var metrics = new HealthMetrics();
        var report = new HealthReport(new Dictionary<string, HealthReportEntry>
        {
            ["postgresql"] = new(HealthStatus.Healthy, null, TimeSpan.Zero, null, null),
            [HealthMetrics.BrokerCheck] = new(HealthStatus.Degraded, "RabbitMQ injoignable.", TimeSpan.Zero, null, null),
            [HealthMetrics.ErrorQueuesCheck] = new(HealthStatus.Degraded, null, TimeSpan.Zero, null,
                new Dictionary<string, object> { ["dashboard-referral-events_error"] = 2 }),
            [HealthMetrics.AsyncDaemonCheck] = new(HealthStatus.Degraded, null, TimeSpan.Zero, null,
                new Dictionary<string, object> { ["integration-events"] = 612L, ["ReferralDetails:All"] = 0L }),
        }, TimeSpan.Zero);
        await metrics.PublishAsync(report, CancellationToken.None);

        var seen = new List<(string Gauge, long Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == HealthMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<int>((i, value, tags, _) => seen.Add((i.Name, value, Tags(tags))));
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) => seen.Add((i.Name, value, Tags(tags))));
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Contains(("coordination.broker.connected", 0L, ""), seen);
        Assert.Contains(("coordination.health.status", 1L, "check=masstransit-bus"), seen);
        Assert.Contains(("coordination.health.status", 0L, "check=postgresql"), seen);
        Assert.Contains(("coordination.error_queue.messages", 2L, "queue=dashboard-referral-events_error"), seen);
        Assert.Contains(("coordination.async_daemon.lag", 612L, "shard=integration-events"), seen);
        Assert.Contains(("coordination.async_daemon.lag", 0L, "shard=ReferralDetails:All"), seen);
    }

    private static string Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (var tag in tags) parts.Add($"{tag.Key}={tag.Value}");
        return string.Join(",", parts);
    }
}
