using System.Collections.Concurrent;
using Coordination.Identity.Mail;

namespace Coordination.Identity.Tests;

/// <summary>
/// Stands in for the SMTP server in this project's tests: keeps what was sent, and can be "down" (every send fails) to
/// show that the outbox keeps and retries. The platform tests use the real mail server.
/// </summary>
public sealed class RecordingMailTransport : IMailTransport
{
    private readonly ConcurrentQueue<MailEnvelope> sent = new();

    public volatile bool Down;

    public IReadOnlyList<MailEnvelope> Sent => [.. sent];

    public Task SendAsync(MailEnvelope mail, CancellationToken ct)
    {
        if (Down)
            throw new IOException("Serveur SMTP injoignable (simulé).");
        sent.Enqueue(mail);
        return Task.CompletedTask;
    }

    public IReadOnlyList<MailEnvelope> To(string address) => [.. sent.Where(m => m.ToAddress == address)];
}
