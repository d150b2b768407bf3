using System.Net.Http.Headers;
using Coordination.Portal.Authentication;
using Microsoft.AspNetCore.Authentication;

namespace Coordination.Portal.Api;

/// <summary>
/// Live dashboard: the browser cannot send the bearer token to the Dashboard's server-sent events, so the portal opens
/// <c>/api/dashboard/changes</c> with the signed-in user's token (the cookie authenticates the browser here) and passes
/// each event on. When the API is unreachable the stream ends with a retry delay: EventSource reconnects by itself.
/// </summary>
public static class DashboardChanges
{
    public const string ClientName = "dashboard-changes";
    private const string RetryLater = "retry: 15000\n\n";

    public static IHostApplicationBuilder AddDashboardChanges(this IHostApplicationBuilder builder)
    {
        var apiBase = builder.Configuration["Portal:ApiBaseAddress"]!;
        // A long-lived stream: no request timeout, and no resilience pipeline (its timeouts and retries are for requests).
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient(ClientName, http =>
        {
            http.BaseAddress = new Uri(apiBase.TrimEnd('/') + "/");
            http.Timeout = Timeout.InfiniteTimeSpan;
        }).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        return builder;
    }

    public static WebApplication MapDashboardChanges(this WebApplication app)
    {
        app.MapGet("/tableau-de-bord/changements", (HttpContext http, IHttpClientFactory clients, ILoggerFactory logs) =>
                Relay(http, clients, logs, "api/dashboard/changes"))
            .RequireAuthorization(PortalPolicies.Coordinators).ExcludeFromDescription();
        // The inbox refreshes itself when a notification (a new hand-off) arrives for the signed-in person.
        app.MapGet("/notifications/flux", (HttpContext http, IHttpClientFactory clients, ILoggerFactory logs) =>
                Relay(http, clients, logs, "api/notifications/stream"))
            .RequireAuthorization(PortalPolicies.OrganisationStaff).ExcludeFromDescription();
        return app;
    }

    /// <summary>Opens <paramref name="apiPath"/> with the signed-in user's token and passes each server-sent event on.</summary>
    private static async Task Relay(HttpContext http, IHttpClientFactory clients, ILoggerFactory logs, string apiPath)
    {
        var ct = http.RequestAborted;
        using var request = new HttpRequestMessage(HttpMethod.Get, apiPath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await http.GetTokenAsync("access_token"));
        request.Headers.Accept.ParseAdd("text/event-stream");
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            logs.CreateLogger(typeof(DashboardChanges)).LogWarning("Live events unreachable ({Error})", e.GetType().Name);
            http.Response.ContentType = "text/event-stream";
            await http.Response.WriteAsync(RetryLater, CancellationToken.None);
            return;
        }
        using (response)
        {
            if ((int)response.StatusCode is 401 or 403)
            {
                // EventSource gives up on an error status: the page then simply stays as it is.
                http.Response.StatusCode = (int)response.StatusCode;
                return;
            }
            http.Response.ContentType = "text/event-stream";
            if (!response.IsSuccessStatusCode)
            {
                await http.Response.WriteAsync(RetryLater, CancellationToken.None);
                return;
            }
            try
            {
                await http.Response.Body.FlushAsync(ct);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
                // Re-emit line by line (fields: event, id, data, retry and comments), flushing at the end of each event.
                while (await reader.ReadLineAsync(ct) is { } line)
                {
                    await http.Response.WriteAsync(line + "\n", ct);
                    if (line.Length == 0) await http.Response.Body.FlushAsync(ct);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
            {
                // The page was closed, or the API went away: EventSource reconnects after its retry delay.
            }
        }
    }
}
