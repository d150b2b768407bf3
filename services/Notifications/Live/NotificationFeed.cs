using System.Threading.Channels;
using Coordination.Notifications.Notifying;
using Coordination.ServiceDefaults.Security;
using Marten;

namespace Coordination.Notifications.Live;

/// <summary>
/// Tells open Portal pages that their person has a new notification. It reads the store once a second (not the
/// consumer's memory), so that with several instances each one tells its own listeners whichever instance stored it.
/// </summary>
public sealed class NotificationFeed(IDocumentStore store, TimeProvider time, ILogger<NotificationFeed> logger) : BackgroundService
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);
    // Commits may land a little after their CreatedAt: look back, and remember what was announced.
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(10);
    private readonly Lock gate = new();
    private readonly List<(string UserId, Channel<bool> Channel)> listeners = [];
    private readonly Dictionary<Guid, DateTimeOffset> announced = [];

    public (ChannelReader<bool> Reader, IDisposable Subscription) Subscribe(string userId)
    {
        var channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        var entry = (userId, channel);
        lock (gate) listeners.Add(entry);
        return (channel.Reader, new Unsubscribe(() => { lock (gate) listeners.Remove(entry); }));
    }

    /// <summary>A hint from this instance's consumer: wake its own listeners at once.</summary>
    public void Announce(IEnumerable<string> userIds)
    {
        var set = userIds.ToHashSet();
        lock (gate)
            foreach (var (userId, channel) in listeners)
                if (set.Contains(userId)) channel.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollEvery, time);
        var since = time.GetUtcNow();
        do
        {
            try
            {
                var from = since - Overlap;
                await using var session = store.QuerySession();
                var fresh = await session.Query<Notification>().Where(n => n.CreatedAt > from).ToListAsync(stoppingToken);
                var news = fresh.Where(n => announced.TryAdd(n.Id, n.CreatedAt)).Select(n => n.UserId).ToList();
                if (news.Count > 0)
                    Announce(news);
                since = time.GetUtcNow();
                foreach (var old in announced.Where(a => a.Value < from).Select(a => a.Key).ToList())
                    announced.Remove(old);
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Notification feed could not read the store ({Error}); retrying", ex.GetType().Name);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}

/// <summary>
/// Server-sent events for the caller: a <c>changed</c> event (id: when their latest notification arrived; data: the unread
/// count) on connection and whenever something new arrives for them, a comment every 15 s to keep proxies from closing the connection. Nothing else is sent: the page re-reads.
/// </summary>
public static class NotificationStreamEndpoint
{
    private static readonly TimeSpan KeepAliveEvery = TimeSpan.FromSeconds(15);

    public static RouteGroupBuilder MapNotificationStream(this RouteGroupBuilder group)
    {
        group.MapGet("/stream", async (HttpContext http, NotificationFeed feed, IDocumentStore store, CancellationToken ct) =>
            {
                var user = CurrentUser.From(http.User);
                http.Response.ContentType = "text/event-stream";
                http.Response.Headers.CacheControl = "no-cache";
                http.Response.Headers["X-Accel-Buffering"] = "no";
                var (reader, subscription) = feed.Subscribe(user.UserId);
                using var _ = subscription;
                await http.Response.WriteAsync("retry: 5000\n\n", ct);
                await Send(http, store, user.UserId, ct);
                try
                {
                    while (!ct.IsCancellationRequested)
                    {
                        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                        wait.CancelAfter(KeepAliveEvery);
                        try
                        {
                            await reader.ReadAsync(wait.Token);
                            await Send(http, store, user.UserId, ct);
                        }
                        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                        {
                            await http.Response.WriteAsync(": keep-alive\n\n", ct);
                            await http.Response.Body.FlushAsync(ct);
                        }
                    }
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // The page was closed.
                }
            })
            .WithName("StreamNotifications")
            .WithSummary("Server-sent events: the caller's unread count each time a notification arrives for them.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return group;
    }

    private static async Task Send(HttpContext http, IDocumentStore store, string userId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var unread = await session.Query<Notification>().CountAsync(n => n.UserId == userId && n.ReadAt == null, ct);
        var latest = await session.Query<Notification>().Where(n => n.UserId == userId).OrderByDescending(n => n.CreatedAt)
            .Select(n => n.CreatedAt).FirstOrDefaultAsync(ct);
        // The id changes only when a notification arrives: what the Portal's live pages compare to decide to refresh.
        await http.Response.WriteAsync($"event: changed\nid: {latest.UtcTicks}\ndata: {{\"unread\":{unread}}}\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
