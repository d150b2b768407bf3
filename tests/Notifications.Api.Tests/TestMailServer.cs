using Coordination.Testing;

namespace Coordination.Notifications.Api.Tests;

/// <summary>
/// The tests' own smtp4dev (<see cref="PrivateMailServer"/>), reached through an <see cref="SmtpGate"/>: the outage test
/// stops and restarts it, and addresses at <c>refuse.test</c> are refused for good. Each mail is read back with its
/// decoded text and its whole source.
/// </summary>
public sealed class TestMailServer : IAsyncDisposable
{
    public const string RefusedDomain = "refuse.test";
    private readonly PrivateMailServer server = new(RefusedDomain);
    private SmtpGate? gate;

    /// <summary>The gate's port: what the services under test send to.</summary>
    public string SmtpConnectionString => $"smtp://127.0.0.1:{(gate ?? throw new InvalidOperationException("Start the mail server first.")).Port}";

    /// <summary>Its web UI and REST API (<c>/api/messages</c>).</summary>
    public Uri ApiAddress => server.Box.WebAddress;

    /// <summary>
    /// Starts it and waits until its API answers. On a loaded machine smtp4dev's first start (database migrations) can take
    /// longer than the shared helper's 60 s: the process keeps starting, so keep waiting for it.
    /// </summary>
    public async Task StartAsync()
    {
        if (gate is not null)
        {
            gate.Open();
            return;
        }
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
        gate = new SmtpGate(new Uri(server.Box.SmtpConnectionString).Port);
        gate.Open();
    }

    /// <summary>
    /// An outage: SMTP connections are cut and refused until <see cref="StartAsync"/>. Staged at the gate, not by killing
    /// smtp4dev, which answers 250 before it stores an e-mail: killed, it loses e-mails it accepted, which no sender can
    /// make up for and which would read as e-mails the delivery worker lost (<see cref="TestMailServerTests"/>).
    /// </summary>
    public Task StopAsync() => gate?.CloseAsync() ?? Task.CompletedTask;

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

    /// <summary>The recipients of every mail received, one entry per mail and recipient (no bodies fetched: cheap for many mails).</summary>
    public async Task<IReadOnlyList<string>> RecipientsAsync() => [.. (await server.Box.AllAsync()).SelectMany(m => m.To)];

    public Task<IReadOnlyList<Received>> MessagesToAsync(string address) =>
        MessagesAsync(to => to.Any(t => t.Contains(address, StringComparison.OrdinalIgnoreCase)));

    public async ValueTask DisposeAsync()
    {
        if (gate is not null)
            await gate.DisposeAsync();
        await server.DisposeAsync();
    }
}
