using Coordination.Portal.Authentication;

namespace Coordination.Portal.Api;

/// <summary>
/// Live pages: the browser cannot send the bearer token to the APIs' server-sent events, so the portal relays them
/// (<see cref="ApiRelay"/>) with the signed-in user's token; the cookie authenticates the browser here.
/// </summary>
public static class DashboardChanges
{
    public static WebApplication MapDashboardChanges(this WebApplication app)
    {
        app.MapGet("/tableau-de-bord/changements", (HttpContext http, ApiRelay relay) => relay.RelayEvents(http, "api/dashboard/changes"))
            .RequireAuthorization(PortalPolicies.Coordinators).ExcludeFromDescription();
        // The inbox refreshes itself when a notification (a new hand-off) arrives for the signed-in person.
        app.MapGet("/notifications/flux", (HttpContext http, ApiRelay relay) => relay.RelayEvents(http, "api/notifications/stream"))
            .RequireAuthorization(PortalPolicies.OrganisationStaff).ExcludeFromDescription();
        return app;
    }
}
