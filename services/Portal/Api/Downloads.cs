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

        // Each indicator view (referrals, training, projects) as the Dashboard's CSV, for the page's filters.
        app.MapGet("/tableau-de-bord/indicateurs-{view}.csv", async (string view, HttpContext http, IHttpClientFactory clients, string? from, string? to, string? departement) =>
        {
            if (view is not ("referrals" or "training" or "projects")) return Results.NotFound();
            var query = new List<string>();
            if (DateOnly.TryParse(from, System.Globalization.CultureInfo.InvariantCulture, out var f)) query.Add("from=" + Uri.EscapeDataString(ParisMidnightUtc(f)));
            if (DateOnly.TryParse(to, System.Globalization.CultureInfo.InvariantCulture, out var t)) query.Add("to=" + Uri.EscapeDataString(ParisMidnightUtc(t)));
            if (departement is { Length: > 0 and <= 3 } && departement.All(char.IsAsciiLetterOrDigit)) query.Add("departement=" + departement);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/dashboard/indicators/{view}.csv" + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
            request.Headers.Authorization = new("Bearer", await http.GetTokenAsync("access_token"));
            using var response = await clients.CreateClient(PortalApi.ClientName).SendAsync(request, http.RequestAborted);
            if (!response.IsSuccessStatusCode)
                return Results.Problem(statusCode: (int)response.StatusCode, detail: "L'export n'est pas disponible pour le moment.");
            var bytes = await response.Content.ReadAsByteArrayAsync(http.RequestAborted);
            var name = view switch { "referrals" => "orientations", "training" => "formations", _ => "projets" };
            return Results.File(bytes, "text/csv; charset=utf-8", $"indicateurs-{name}.csv");
        }).RequireAuthorization(PortalPolicies.Coordinators).ExcludeFromDescription();

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

    private static string ParisMidnightUtc(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Formatting.French.Paris.GetUtcOffset(local)).ToUniversalTime().ToString("o", System.Globalization.CultureInfo.InvariantCulture);
    }
}
