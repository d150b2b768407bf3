using Coordination.Portal.Authentication;
using Microsoft.AspNetCore.Authentication;

namespace Coordination.Portal.Api;

/// <summary>
/// The dashboard's CSV, downloaded through the portal: the browser holds no token, so the portal fetches the API's CSV
/// with the user's token and streams it back (small counts are already hidden by the API).
/// </summary>
public static class DashboardExport
{
    public static WebApplication MapDashboardExport(this WebApplication app)
    {
        app.MapGet("/tableau-de-bord/orientations.csv", async (HttpContext http, IHttpClientFactory clients, string? from, string? to) =>
        {
            var query = new List<string>();
            if (DateOnly.TryParse(from, System.Globalization.CultureInfo.InvariantCulture, out var f)) query.Add("from=" + Uri.EscapeDataString(ParisMidnightUtc(f)));
            if (DateOnly.TryParse(to, System.Globalization.CultureInfo.InvariantCulture, out var t)) query.Add("to=" + Uri.EscapeDataString(ParisMidnightUtc(t)));
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/dashboard/referral-activity.csv" + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
            request.Headers.Authorization = new("Bearer", await http.GetTokenAsync("access_token"));
            using var response = await clients.CreateClient(PortalApi.ClientName).SendAsync(request, http.RequestAborted);
            if (!response.IsSuccessStatusCode)
                return Results.Problem(statusCode: (int)response.StatusCode, detail: "L'export n'est pas disponible pour le moment.");
            var bytes = await response.Content.ReadAsByteArrayAsync(http.RequestAborted);
            return Results.File(bytes, "text/csv; charset=utf-8", "orientations-par-departement.csv");
        }).RequireAuthorization(PortalPolicies.Coordinators).ExcludeFromDescription();
        return app;
    }

    private static string ParisMidnightUtc(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Formatting.French.Paris.GetUtcOffset(local)).ToUniversalTime().ToString("o", System.Globalization.CultureInfo.InvariantCulture);
    }
}
