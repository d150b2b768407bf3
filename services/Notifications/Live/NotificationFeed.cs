using System.Net.ServerSentEvents;
using System.Threading.Channels;
using Coordination.Notifications.Notifying;
using Coordination.ServiceDefaults.Http;
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
/// Server-sent events for the caller (<see cref="LiveFeeds"/>): a <c>changed</c> event (id: when their latest notification
/// arrived; data: the unread count) on connection and whenever something new arrives for them, a <c>keep-alive</c> after
/// 15 s of quiet to keep proxies from closing the connection. Nothing else is sent: the page re-reads.
/// </summary>
public static class NotificationStreamEndpoint
{
    public static RouteGroupBuilder MapNotificationStream(this RouteGroupBuilder group)
    {
        group.MapGet("/stream", (HttpContext http, NotificationFeed feed, IDocumentStore store, TimeProvider time) =>
            {
                var user = CurrentUser.From(http.User);
                http.Response.Headers["X-Accel-Buffering"] = "no";
                return TypedResults.ServerSentEvents(LiveFeeds.Events(() => feed.Subscribe(user.UserId),
                    async ct => await Changed(store, user.UserId, ct),
                    (_, ct) => Changed(store, user.UserId, ct), time, http.RequestAborted));
            })
            .WithName("StreamNotifications")
            .WithSummary("Server-sent events: the caller's unread count each time a notification arrives for them.");
        return group;
    }

    private static async Task<SseItem<string>> Changed(IDocumentStore store, string userId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var unread = await session.Query<Notification>().CountAsync(n => n.UserId == userId && n.ReadAt == null, ct);
        var latest = await session.Query<Notification>().Where(n => n.UserId == userId).OrderByDescending(n => n.CreatedAt)
            .Select(n => n.CreatedAt).FirstOrDefaultAsync(ct);
        // The id changes only when a notification arrives: what the Portal's live pages compare to decide to refresh.
        return new SseItem<string>($"{{\"unread\":{unread}}}", "changed")
        {
            EventId = latest.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
