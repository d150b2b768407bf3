using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Coordination.ServiceDefaults.Http;

/// <summary>
/// The server-sent events of the services' live feeds (the Dashboard's changes, a person's notifications), written by
/// <c>TypedResults.ServerSentEvents</c>. Each feed opens with a <c>keep-alive</c> event that carries the reconnection
/// delay, sends one event per signal, and a <c>keep-alive</c> again whenever it has been quiet for
/// <see cref="KeepAliveEvery"/>, so that the proxies on the way (the gateway, the portal's relay) never close an idle
/// connection. Browsers ignore the <c>keep-alive</c> events: the pages listen to <c>changed</c> only.
/// </summary>
public static class LiveFeeds
{
    public const string KeepAliveEvent = "keep-alive";
    public static readonly TimeSpan KeepAliveEvery = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan ReconnectAfter = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The events of one open connection: <paramref name="opening"/> (the current state, if any) after the first
    /// keep-alive, then <paramref name="next"/> for each signal of the feed, until the client goes. The subscription
    /// lasts as long as the connection (it is taken when the response starts, and ended with it).
    /// </summary>
    public static async IAsyncEnumerable<SseItem<string>> Events<TSignal>(
        Func<(ChannelReader<TSignal> Reader, IDisposable Subscription)> subscribe,
        Func<CancellationToken, Task<SseItem<string>?>> opening,
        Func<TSignal, CancellationToken, Task<SseItem<string>>> next, TimeProvider time,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var (signals, subscription) = subscribe();
        using var _ = subscription;
        yield return new SseItem<string>("", KeepAliveEvent) { ReconnectionInterval = ReconnectAfter };
        if (await opening(ct) is { } current)
            yield return current;
        while (!ct.IsCancellationRequested)
        {
            var (arrived, signal) = await NextSignalOrQuiet(signals, time, ct);
            if (ct.IsCancellationRequested)
                yield break; // The page was closed.
            yield return arrived ? await next(signal!, ct) : new SseItem<string>("", KeepAliveEvent);
        }
    }

    /// <summary>The next signal, or (false, default) after <see cref="KeepAliveEvery"/> without one or once the client is gone.</summary>
    private static async Task<(bool Arrived, TSignal? Signal)> NextSignalOrQuiet<TSignal>(ChannelReader<TSignal> signals, TimeProvider time, CancellationToken ct)
    {
        using var quiet = new CancellationTokenSource(KeepAliveEvery, time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct, quiet.Token);
        try
        {
            return (true, await signals.ReadAsync(wait.Token));
        }
        catch (OperationCanceledException)
        {
            return (false, default);
        }
    }
}
