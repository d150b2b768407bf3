using System.Text.Json;
using Coordination.Dashboard.Indicators;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;

namespace Coordination.Dashboard.Live;

/// <summary>
/// Server-sent events for open dashboards: the current state on connection, then one <c>changed</c> event whenever
/// new facts were stored, and a comment every 15 s so that proxies (the gateway) keep the connection open. The
/// client re-reads its view on each event; nothing but a sequence number and a time is sent.
/// </summary>
public static class DashboardChangesEndpoint
{
    public static readonly TimeSpan KeepAliveEvery = TimeSpan.FromSeconds(15);

    public static RouteGroupBuilder MapDashboardChanges(this RouteGroupBuilder group)
    {
        group.MapGet("/changes", async (HttpContext http, DashboardChangeFeed feed, TimeProvider time, CancellationToken ct) =>
            {
                var user = CurrentUser.From(http.User);
                if (!user.IsCoordinatorOrAdmin && !(user.OrganisationId is not null && Roles.OrganisationStaff.Contains(user.Role)))
                {
                    await Problems.Forbidden(IndicatorQuery.NotAllowed).ExecuteAsync(http);
                    return;
                }
                http.Response.ContentType = "text/event-stream";
                http.Response.Headers.CacheControl = "no-cache";
                http.Response.Headers["X-Accel-Buffering"] = "no";
                var (reader, subscription) = feed.Subscribe();
                using var _ = subscription;
                await http.Response.WriteAsync("retry: 5000\n\n", ct);
                if (feed.Latest is { } current) await Send(http, current, ct);
                await http.Response.Body.FlushAsync(ct);
                try
                {
                    while (!ct.IsCancellationRequested)
                    {
                        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                        wait.CancelAfter(KeepAliveEvery);
                        try
                        {
                            var change = await reader.ReadAsync(wait.Token);
                            await Send(http, change, ct);
                        }
                        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                        {
                            await http.Response.WriteAsync(": keep-alive\n\n", ct);
                        }
                        await http.Response.Body.FlushAsync(ct);
                    }
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // The dashboard was closed.
                }
            })
            .WithName("StreamDashboardChanges")
            .WithSummary("Server-sent events telling open dashboards that new facts were stored (re-read the view on each).")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return group;
    }

    private static Task Send(HttpContext http, DashboardChange change, CancellationToken ct) =>
        http.Response.WriteAsync($"id: {change.Sequence}\nevent: changed\ndata: {JsonSerializer.Serialize(new { sequence = change.Sequence, storedAt = change.StoredAt })}\n\n", ct);
}
