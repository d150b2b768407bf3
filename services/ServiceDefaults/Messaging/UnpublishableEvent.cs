using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Coordination.ServiceDefaults.Messaging;

/// <summary>
/// A committed domain event whose contract could not be built (its mapping failed for a reason other than an outage).
/// The outbox records it here, in the same transaction as its progress, and goes on with the next events instead of
/// retrying one bad event forever while every later event waits. Only ids, the stream and the event's version in it,
/// the event type and the failure's type are kept: never the event's data. Once the cause is fixed,
/// <c>./coordination replay SERVICE</c> publishes it (consumers drop what they already have); then delete the record
/// (docs/operations.md).
/// </summary>
public sealed record UnpublishableEvent(Guid Id, long Sequence, string EventType, string StreamKey, long StreamVersion, string Failure, DateTimeOffset FailedAt);

/// <summary>
/// Unpublishable events make <c>/health</c> Degraded (the service still works; an operator must look), with their count.
/// </summary>
public sealed class UnpublishableEventsHealthCheck(IDocumentStore store) : IHealthCheck
{
    public const string Name = "unpublishable-events";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var session = store.QuerySession();
        var count = await session.Query<UnpublishableEvent>().CountAsync(cancellationToken);
        return count == 0
            ? HealthCheckResult.Healthy("Tous les événements ont été publiés.")
            : HealthCheckResult.Degraded("Des événements n'ont pas pu être publiés et attendent un opérateur.",
                data: new Dictionary<string, object> { ["events"] = count });
    }
}
