using Coordination.Portal.Authentication;
using Microsoft.AspNetCore.Authentication;

namespace Coordination.Portal.Api;

/// <summary>
/// Files the browser downloads through the portal (the dashboard's CSV, an attendance certificate): the browser holds no
/// token, so the portal fetches them from the API with the user's token and passes them on (the API already hid small counts).
/// </summary>
public static class Downloads
{
    public static WebApplication MapDownloads(this WebApplication app)
    {
        // The activity per département and each indicator view as the Dashboard's CSV, with the page's filters (whole days).
        app.MapGet("/tableau-de-bord/orientations.csv", (HttpContext http, ApiRelay relay) =>
                DashboardDownloads.Forward(http, relay, "api/dashboard/referral-activity.csv" + DashboardDownloads.Scope(http.Request),
                    "text/csv; charset=utf-8", "orientations-par-departement.csv"))
            .RequireAuthorization(PortalPolicies.Coordinators).ExcludeFromDescription();
        app.MapGet("/tableau-de-bord/indicateurs-{view}.csv", (string view, HttpContext http, ApiRelay relay) =>
                view is not ("referrals" or "training" or "projects") ? Task.FromResult(Results.NotFound())
                : DashboardDownloads.Forward(http, relay, $"api/dashboard/indicators/{view}.csv" + DashboardDownloads.Scope(http.Request),
                    "text/csv; charset=utf-8", $"indicateurs-{view switch { "referrals" => "orientations", "training" => "formations", _ => "projets" }}.csv"))
            .RequireAuthorization(PortalPolicies.Coordinators).ExcludeFromDescription();

        // The attendee's printable certificate (French HTML made by the Training API), fetched with their token.
        app.MapGet("/formations/sessions/{id:guid}/attestation", async (Guid id, HttpContext http, IHttpClientFactory clients) =>
        {
            var me = PortalUser.From(http.User).UserId;
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/training/sessions/{id}/certificates/{Uri.EscapeDataString(me ?? "")}");
            request.Headers.Authorization = new("Bearer", await http.GetTokenAsync("access_token"));
            using var response = await clients.CreateClient(PortalApi.ClientName).SendAsync(request, http.RequestAborted);
            if (!response.IsSuccessStatusCode)
                return Results.Problem(statusCode: (int)response.StatusCode, detail: "Aucune attestation : elle n'existe qu'après une session où votre présence est enregistrée.");
            // A document with its own inline style and no script at all.
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
            return Results.Content(await response.Content.ReadAsStringAsync(http.RequestAborted), "text/html; charset=utf-8");
        }).RequireAuthorization(PortalPolicies.OrganisationStaff).ExcludeFromDescription();
        return app;
    }
}
