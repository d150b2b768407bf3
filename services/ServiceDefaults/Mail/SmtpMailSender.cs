using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Coordination.ServiceDefaults.Mail;

/// <summary>
/// Sends with MailKit, one connection per mail: simple and robust at the volumes here (tens per minute), and a relay
/// outage surfaces as a <see cref="MailDeliveryException"/> the caller retries from its own outbox.
/// </summary>
public sealed class SmtpMailSender(SmtpRelay relay, IOptions<MailOptions> options) : IMailSender
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        using var message = Compose(mail, options.Value);
        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(relay.Host, relay.Port, relay.Security, cancellationToken);
            if (relay.UserName is not null)
                await client.AuthenticateAsync(relay.UserName, relay.Password ?? "", cancellationToken);
            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (SmtpCommandException refused) when ((int)refused.StatusCode >= 500 &&
            refused.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.SenderNotAccepted or SmtpErrorCode.MessageNotAccepted)
        {
            // The address (not the relay's health) is at fault: say so without naming the address (no personal data in logs).
            throw new MailDeliveryException($"The relay refused the message for good ({(int)refused.StatusCode} {refused.ErrorCode}).", permanent: true, refused);
        }
        catch (Exception failure) when (failure is SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException
            or System.Net.Sockets.SocketException or IOException or TimeoutException or MailKit.Security.AuthenticationException
            or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new MailDeliveryException($"The relay {relay} did not take the message ({failure.GetType().Name}); it will be retried.", permanent: false, failure);
        }
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
