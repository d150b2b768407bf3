using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Coordination.ServiceDefaults.Mail;

/// <summary>
/// Sends with MailKit. <see cref="SendAsync"/> opens a connection for one mail; <see cref="OpenConnection"/> keeps one
/// for a burst (the notifications' delivery worker: a connection per mail made the SMTP greeting most of the cost). A
/// relay outage surfaces as a <see cref="MailDeliveryException"/> the caller retries from its own outbox.
/// </summary>
public sealed class SmtpMailSender(SmtpRelay relay, IOptions<MailOptions> options) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        await connection.SendAsync(mail, cancellationToken);
    }

    public IMailConnection OpenConnection() => new SmtpMailConnection(relay, options.Value);
}

/// <summary>One SMTP connection, opened at the first mail and reopened after any failure.</summary>
internal sealed class SmtpMailConnection(SmtpRelay relay, MailOptions options) : IMailConnection
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private SmtpClient? client;
    private int sentOnThisConnection;

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        using var message = Compose(mail, options);
        try
        {
            await SendOnceAsync(message, cancellationToken);
        }
        catch (MailDeliveryException stale) when (!stale.Permanent && sentOnThisConnection > 0)
        {
            // A connection that served earlier mails may have been closed by the relay meanwhile (idle or per-connection
            // limits): that says nothing of the relay's health, so try once on a new connection before reporting it.
            await SendOnceAsync(message, cancellationToken);
        }
    }

    private async Task SendOnceAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        try
        {
            if (client is not { IsConnected: true })
            {
                Drop();
                client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
                sentOnThisConnection = 0;
                await client.ConnectAsync(relay.Host, relay.Port, relay.Security, cancellationToken);
                if (relay.UserName is not null)
                    await client.AuthenticateAsync(relay.UserName, relay.Password ?? "", cancellationToken);
            }
            await client.SendAsync(message, cancellationToken);
            sentOnThisConnection++;
        }
        catch (SmtpCommandException refused) when ((int)refused.StatusCode >= 500 &&
            refused.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.SenderNotAccepted or SmtpErrorCode.MessageNotAccepted)
        {
            // The address (not the relay's health) is at fault: say so without naming the address (no personal data in logs).
            // The connection is dropped all the same: the next mail starts a clean transaction.
            Drop();
            throw new MailDeliveryException($"The relay refused the message for good ({(int)refused.StatusCode} {refused.ErrorCode}).", permanent: true, refused);
        }
        catch (Exception failure) when (failure is SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException
            or System.Net.Sockets.SocketException or IOException or TimeoutException or MailKit.Security.AuthenticationException
            or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Drop();
            throw new MailDeliveryException($"The relay {relay} did not take the message ({failure.GetType().Name}); it will be retried.", permanent: false, failure);
        }
    }

    private void Drop()
    {
        client?.Dispose();
        client = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (client is { IsConnected: true })
        {
            try
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(quit: true, quit.Token);
            }
            catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or IOException or OperationCanceledException
                or System.Net.Sockets.SocketException or ServiceNotConnectedException)
            {
                // The mails are sent; a relay that hangs up first is no failure.
            }
        }
        Drop();
    }

    private static MimeMessage Compose(OutgoingMail mail, MailOptions options)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(options.FromName, options.FromAddress));
        message.To.Add(new MailboxAddress(mail.ToName, mail.ToAddress));
        message.Subject = mail.Subject;
        if (mail.MessageId is not null)
            message.MessageId = mail.MessageId;
        var body = new BodyBuilder { TextBody = mail.PlainText, HtmlBody = mail.Html };
        message.Body = body.ToMessageBody();
        return message;
    }
}
