using Coordination.Notifications.Notifying;
using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Coordination.Notifications.Delivering;

/// <summary>
/// <c>/health</c> → <c>mail-deliveries</c>: e-mails that tried and are still waiting (the relay was down), and those
/// due for more than a minute. Degraded, not unhealthy: the API and the inbox still work, e-mails only wait.
/// </summary>
public sealed class DeliveryHealthCheck(IDocumentStore store, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var late = time.GetUtcNow().AddMinutes(-1);
        await using var session = store.QuerySession();
        var retrying = await session.Query<Delivery>().CountAsync(d => d.Status == DeliveryStatus.Pending && d.Attempts > 0, cancellationToken);
        var overdue = await session.Query<Delivery>().CountAsync(d => d.Status == DeliveryStatus.Pending && d.DueAt < late, cancellationToken);
        var failed = await session.Query<Delivery>().CountAsync(d => d.Status == DeliveryStatus.Failed, cancellationToken);
        var data = new Dictionary<string, object> { ["outstanding"] = retrying, ["dueForOverAMinute"] = overdue, ["failed"] = failed };
        return retrying > 0 || overdue > 0
            ? HealthCheckResult.Degraded($"{retrying} e-mail(s) waiting for the mail relay, {overdue} due for over a minute.", data: data)
            : HealthCheckResult.Healthy("E-mails up to date.", data);
    }
}
