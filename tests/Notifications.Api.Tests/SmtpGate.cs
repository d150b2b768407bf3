using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Coordination.Testing;

namespace Coordination.Notifications.Api.Tests;

/// <summary>
/// A TCP gate in front of the test mail server's SMTP port, where the reliability tests stage a relay outage. Closing it
/// refuses new connections and cuts the open ones the way a relay going down does, without losing an e-mail the relay
/// has answered 250 for: the sender's bytes stop at once, the relay is told the sender is gone, and its last replies
/// (a 250 for an e-mail it had wholly received) still reach the sender before the cut. Killing smtp4dev instead loses
/// such e-mails: it answers 250 before it stores the message (<see cref="TestMailServerTests"/>).
/// </summary>
public sealed class SmtpGate(int relayPort) : IAsyncDisposable
{
    private static readonly TimeSpan RelayHangUpLimit = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<Passage, byte> passages = new();
    private TcpListener? listener;
    private Task? accepting;

    public int Port { get; } = LocalMachine.FreePort();

    public bool IsOpen => listener is not null;

    public void Open()
    {
        if (listener is not null)
            return;
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        accepting = Accept(listener);
    }

    /// <summary>New connections are refused from now on; the open ones are cut once the relay has answered what it received.</summary>
    public async Task CloseAsync()
    {
        if (listener is null)
            return;
        listener.Stop();
        listener = null;
        await accepting!;
        await Task.WhenAll(passages.Keys.Select(p => p.CutAsync()));
    }

    private async Task Accept(TcpListener listening)
    {
        while (true)
        {
            TcpClient sender;
            try
            {
                sender = await listening.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // closed
            }
            var relay = new TcpClient();
            try
            {
                await relay.ConnectAsync(IPAddress.Loopback, relayPort);
            }
            catch (SocketException)
            {
                sender.Dispose();
                relay.Dispose();
                continue;
            }
            var passage = new Passage(sender, relay);
            passages[passage] = 0;
            _ = passage.Completion.ContinueWith(_ => passages.TryRemove(passage, out byte _), TaskScheduler.Default);
        }
    }

    public async ValueTask DisposeAsync() => await CloseAsync();

    /// <summary>One sender's connection and its twin to the relay.</summary>
    private sealed class Passage
    {
        private readonly TcpClient sender, relay;
        private readonly CancellationTokenSource cut = new();
        private readonly Task upstream;

        public Passage(TcpClient sender, TcpClient relay)
        {
            this.sender = sender;
            this.relay = relay;
            upstream = Upstream();
            Completion = Downstream();
        }

        public Task Completion { get; }

        public async Task CutAsync()
        {
            await cut.CancelAsync();
            await upstream;
            // The relay answers what it had wholly received, then sees the end of the stream and hangs up.
            await Task.WhenAny(Completion, Task.Delay(RelayHangUpLimit));
            sender.Dispose();
            relay.Dispose();
        }

        private async Task Upstream()
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    // Only the read is cancelled: bytes read are forwarded whole, so the relay never sees half a command.
                    var read = await sender.GetStream().ReadAsync(buffer, cut.Token);
                    if (read == 0)
                        break;
                    await relay.GetStream().WriteAsync(buffer.AsMemory(0, read));
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
            }
            try
            {
                relay.Client?.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }

        private async Task Downstream()
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    var read = await relay.GetStream().ReadAsync(buffer);
                    if (read == 0)
                        break;
                    await sender.GetStream().WriteAsync(buffer.AsMemory(0, read));
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
            }
            sender.Dispose();
            await upstream;
            relay.Dispose();
        }
    }
}
