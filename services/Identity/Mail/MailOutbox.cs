using System.Text.Json;
using Coordination.ServiceDefaults.Mail;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Coordination.Identity.Mail;

/// <summary>One e-mail to one person. The body may hold a one-time link: it is protected at rest and never logged.</summary>
public sealed record MailEnvelope(string ToAddress, string ToName, string Subject, string TextBody);

/// <summary>
/// An e-mail waiting to go, stored in the same transaction as the event that asked for it: an SMTP outage delays it,
/// never loses it. The envelope (address, name, link) is encrypted with Data Protection and the document deleted once sent.
/// </summary>
public sealed record PendingMail(Guid Id, string ProtectedEnvelope, int Attempts, DateTimeOffset NextAttemptAt, DateTimeOffset RequestedAt);

public sealed class OutboxOptions
{
    /// <summary>How often the outbox looks for due e-mails when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts of one e-mail (the wait doubles from one second).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class MailOutbox(IDataProtectionProvider dataProtection, TimeProvider time)
{
    private readonly IDataProtector protector = dataProtection.CreateProtector("Coordination.Identity.MailOutbox.v1");
    private readonly SemaphoreSlim wake = new(0, int.MaxValue);

    /// <summary>Queue the e-mail in the caller's session: it leaves only if the session commits.</summary>
    public void Enqueue(IDocumentSession session, MailEnvelope mail) =>
        session.Store(new PendingMail(Guid.CreateVersion7(), protector.Protect(JsonSerializer.Serialize(mail)), 0, time.GetUtcNow(), time.GetUtcNow()));

    /// <summary>After a commit that queued e-mails: send now rather than at the next poll.</summary>
    public void Wake() => wake.Release();

    internal MailEnvelope Open(PendingMail pending) =>
        JsonSerializer.Deserialize<MailEnvelope>(protector.Unprotect(pending.ProtectedEnvelope))!;

    internal async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await wake.WaitAsync(timeout, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}

/// <summary>
/// Sends the outbox in order of due time; a failure (server down, refused) leaves the e-mail there with a doubling
/// delay, capped at <see cref="OutboxOptions.MaxBackoff"/>. A mail the relay refuses for good (the address) is dropped and
/// logged: retrying would not help. Logs say how many and why, never to whom.
/// </summary>
public sealed partial class MailOutboxSender(
    IDocumentStore store, MailOutbox outbox, IMailSender sender, TimeProvider time, IOptions<OutboxOptions> options,
    ILogger<MailOutboxSender> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogOutboxFailed(logger, exception); // the database itself is away: try again at the next round
            }
            await outbox.WaitAsync(options.Value.PollInterval, stoppingToken);
        }
    }

    public async Task SendDueAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var now = time.GetUtcNow();
        var due = await session.Query<PendingMail>().Where(m => m.NextAttemptAt <= now).OrderBy(m => m.NextAttemptAt).Take(50).ToListAsync(ct);
        foreach (var pending in due)
        {
            try
            {
                var mail = outbox.Open(pending);
                // One message id per queued mail: a retry after an unclear failure is recognisable as the same mail.
                await sender.SendAsync(new OutgoingMail(mail.ToAddress, mail.ToName, mail.Subject, mail.TextBody,
                    MessageId: $"{pending.Id:N}@identity.coordination"), ct);
                session.Delete(pending);
            }
            catch (MailDeliveryException refused) when (refused.Permanent)
            {
                session.Delete(pending);
                LogRefused(logger, refused.Message);
            }
            catch (Exception exception) when (!ct.IsCancellationRequested)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, pending.Attempts), options.Value.MaxBackoff.TotalSeconds));
                session.Store(pending with { Attempts = pending.Attempts + 1, NextAttemptAt = time.GetUtcNow() + delay });
                LogSendFailed(logger, pending.Attempts + 1, delay.TotalSeconds, exception.GetType().Name);
                // The server is probably down for the others too: keep their turn for the next round.
                break;
            }
        }
        await session.SaveChangesAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending an e-mail failed (attempt {Attempt}, {Error}); next attempt in {DelaySeconds} s")]
    private static partial void LogSendFailed(ILogger logger, int attempt, double delaySeconds, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "An e-mail was refused for good by the relay and dropped: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The e-mail outbox could not be read")]
    private static partial void LogOutboxFailed(ILogger logger, Exception exception);
}
