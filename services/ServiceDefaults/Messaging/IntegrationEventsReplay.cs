using Coordination.ServiceDefaults.EventSourcing;
using Coordination.ServiceDefaults.Security;
using JasperFx.Events.Daemon;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Coordination.ServiceDefaults.Messaging;

/// <summary>
/// Operators' tool: publish this service's integration events again from the first one. A consumer added after
/// events were published (a new service, a queue created late) catches up this way; consumers that already have
/// them drop the repeats by message id.
/// </summary>
public static class IntegrationEventsReplay
{
    public static IEndpointRouteBuilder MapIntegrationEventsReplay(this IEndpointRouteBuilder app, string apiPrefix)
    {
        app.MapPost($"{apiPrefix}/admin/integration-events/replay", async (IProjectionCoordinator coordinator, CancellationToken ct) =>
            {
                var daemon = coordinator.DaemonForMainDatabase();
                await daemon.RewindSubscriptionAsync(EventStoreSetup.IntegrationEventsSubscription, ct, sequenceFloor: 0);
                return TypedResults.Accepted((string?)null, new { replaying = EventStoreSetup.IntegrationEventsSubscription });
            })
            .RequireAuthorization(Policies.Jobs)
            .WithName("ReplayIntegrationEvents")
            .WithTags("Operations")
            .WithSummary("Publish every integration event of this service again (admins and jobs; consumers drop duplicates).");
        return app;
    }
}
