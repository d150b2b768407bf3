using Coordination.Portal.Authentication;
using Microsoft.AspNetCore.Authentication;

namespace Coordination.Portal.Api;

/// <summary>The guide of aids as a French CSV, fetched with the coordinator's token and passed on (the browser holds no token).</summary>
public static class AidDownloads
{
    public static WebApplication MapAidDownloads(this WebApplication app)
    {
        app.MapGet("/aides/guide-des-aides.csv", async (HttpContext http, IHttpClientFactory clients) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/directory/aids/export.csv");
            request.Headers.Authorization = new("Bearer", await http.GetTokenAsync("access_token"));
            using var response = await clients.CreateClient(PortalApi.ClientName).SendAsync(request, http.RequestAborted);
            if (!response.IsSuccessStatusCode)
                return Results.Problem(statusCode: (int)response.StatusCode, detail: "L'export du guide des aides n'est pas disponible pour le moment.");
            var bytes = await response.Content.ReadAsByteArrayAsync(http.RequestAborted);
            return Results.File(bytes, "text/csv; charset=utf-8", "guide-des-aides.csv");
        }).RequireAuthorization(PortalPolicies.Coordinators).ExcludeFromDescription();
        return app;
    }
}
