using System.Threading.Channels;
using Coordination.Dashboard.Indicators;
using Npgsql;

namespace Coordination.Dashboard.Live;

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
