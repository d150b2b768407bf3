using System.Text.Json;
using System.Threading.Channels;
using Coordination.Dashboard.Indicators;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Npgsql;

namespace Coordination.Dashboard.Live;

/// <summary>The latest event the Dashboard has stored: its sequence number and when it was stored.</summary>
public sealed record DashboardChange(long Sequence, DateTimeOffset StoredAt);

/// <summary>
/// Watches the Dashboard's own event store once a second and tells every open dashboard when something new was
/// stored. It reads the database rather than hooking the consumers, so with several instances every instance
/// notifies its own listeners whichever instance consumed the message.
/// </summary>
public sealed class DashboardChangeFeed(NpgsqlDataSource db, TimeProvider time, ILogger<DashboardChangeFeed> logger) : BackgroundService
{
    public static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);
    private readonly Lock gate = new();
    private readonly List<Channel<DashboardChange>> listeners = [];

    public DashboardChange? Latest { get; private set; }

    public (ChannelReader<DashboardChange> Reader, IDisposable Subscription) Subscribe()
    {
        // Only the newest change matters to a listener that is behind.
        var channel = Channel.CreateBounded<DashboardChange>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (gate) listeners.Add(channel);
        return (channel.Reader, new Unsubscribe(() => { lock (gate) listeners.Remove(channel); }));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollEvery, time);
        do
        {
            try
            {
                await using var command = db.CreateCommand(
                    $"select seq_id, timestamp from {DashboardServiceExtensions.SchemaName}.mt_events order by seq_id desc limit 1");
                await using var reader = await command.ExecuteReaderAsync(stoppingToken);
                if (await reader.ReadAsync(stoppingToken))
                {
                    var latest = new DashboardChange(reader.GetInt64(0), reader.Instant(1)!.Value);
                    if (latest.Sequence != Latest?.Sequence)
                    {
                        Latest = latest;
                        lock (gate)
                            foreach (var listener in listeners) listener.Writer.TryWrite(latest);
                    }
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Dashboard change feed could not read the event store ({Error}); retrying", ex.GetType().Name);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}

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
