using Coordination.Portal.Authentication;

namespace Coordination.Portal.Api;

/// <summary>The guide of aids as a French CSV, relayed with the coordinator's token (the browser holds none): <see cref="ApiRelay"/>.</summary>
public static class AidDownloads
{
    public static WebApplication MapAidDownloads(this WebApplication app)
    {
        app.MapGet("/aides/guide-des-aides.csv", (HttpContext http, ApiRelay relay) =>
                relay.RelayFile(http, "api/directory/aids/export.csv", "text/csv; charset=utf-8", "guide-des-aides.csv",
                    "L'export du guide des aides n'est pas disponible pour le moment."))
            .RequireAuthorization(PortalPolicies.Coordinators).ExcludeFromDescription();
        return app;
    }
}
