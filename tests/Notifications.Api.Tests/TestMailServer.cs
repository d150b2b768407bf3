using Coordination.Testing;

namespace Coordination.Notifications.Api.Tests;

/// <summary>
/// The tests' own smtp4dev (<see cref="PrivateMailServer"/>): the outage test stops and restarts it, and addresses at
/// <c>refuse.test</c> are refused for good. Each mail is read back with its decoded text and its whole source.
/// </summary>
public sealed class TestMailServer : IAsyncDisposable
{
    public const string RefusedDomain = "refuse.test";
    private readonly PrivateMailServer server = new(RefusedDomain);

    public string SmtpConnectionString => server.Box.SmtpConnectionString;

    /// <summary>Its web UI and REST API (<c>/api/messages</c>).</summary>
    public Uri ApiAddress => server.Box.WebAddress;

    /// <summary>
    /// Starts it and waits until its API answers. On a loaded machine smtp4dev's first start (database migrations) can take
    /// longer than the shared helper's 60 s: the process keeps starting, so keep waiting for it.
    /// </summary>
    public async Task StartAsync()
    {
        try
        {
            await server.StartAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException && server.Running)
        {
            await HttpClientExtensions.Eventually(async () =>
            {
                try { await server.Box.AllAsync(); return true; }
                catch (HttpRequestException) { return false; }
                catch (TaskCanceledException) { return false; }
            }, up => up, TimeSpan.FromMinutes(4), "the private smtp4dev answering");
        }
    }

    public Task StopAsync() => server.StopAsync();

    /// <param name="Text">The decoded plain-text body.</param>
    public sealed record Received(Guid Id, string Subject, IReadOnlyList<string> To, string Source, string Text);

    /// <summary>Every mail received (optionally only those whose recipients match), with text and source.</summary>
    public async Task<IReadOnlyList<Received>> MessagesAsync(Func<IReadOnlyList<string>, bool>? to = null)
    {
        var box = server.Box;
        var received = new List<Received>();
        foreach (var mail in (await box.AllAsync()).Where(m => to is null || to(m.To)))
            received.Add(new Received(mail.Id, mail.Subject, mail.To, await box.SourceAsync(mail.Id), await box.PlainTextAsync(mail.Id)));
        return received;
    }

    public Task<IReadOnlyList<Received>> MessagesToAsync(string address) =>
        MessagesAsync(to => to.Any(t => t.Contains(address, StringComparison.OrdinalIgnoreCase)));

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
