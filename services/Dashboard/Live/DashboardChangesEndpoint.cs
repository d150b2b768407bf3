using System.Net.ServerSentEvents;
using System.Text.Json;
using Coordination.Dashboard.Indicators;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordination.Dashboard.Live;

/// <summary>
/// Server-sent events for open dashboards (<see cref="LiveFeeds"/>): the current state on connection, then one
/// <c>changed</c> event whenever new facts were stored, and a <c>keep-alive</c> after 15 s of quiet so that proxies
/// (the gateway) keep the connection open. The client re-reads its view on each event; nothing but a sequence number
/// and a time is sent.
/// </summary>
public static class DashboardChangesEndpoint
{
    public static RouteGroupBuilder MapDashboardChanges(this RouteGroupBuilder group)
    {
        group.MapGet("/changes", Results<ServerSentEventsResult<string>, ProblemHttpResult> (HttpContext http, DashboardChangeFeed feed, TimeProvider time) =>
            {
                var user = CurrentUser.From(http.User);
                if (!user.IsCoordinatorOrAdmin && !(user.OrganisationId is not null && Roles.OrganisationStaff.Contains(user.Role)))
                    return Problems.Forbidden(IndicatorQuery.NotAllowed);
                http.Response.Headers["X-Accel-Buffering"] = "no";
                return TypedResults.ServerSentEvents(LiveFeeds.Events(feed.Subscribe,
                    _ => Task.FromResult(feed.Latest is { } current ? Changed(current) : (SseItem<string>?)null),
                    (change, _) => Task.FromResult(Changed(change)), time, http.RequestAborted));
            })
            .WithName("StreamDashboardChanges")
            .WithSummary("Server-sent events telling open dashboards that new facts were stored (re-read the view on each).");
        return group;
    }

    private static SseItem<string> Changed(DashboardChange change) =>
        new(JsonSerializer.Serialize(new { sequence = change.Sequence, storedAt = change.StoredAt }), "changed")
        {
            EventId = change.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
}
